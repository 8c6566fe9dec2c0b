// The communities a gds.louvain/leiden.mutate run left in the projection: $runs = [{run, property,
// label}], one copy's node label and the property its run wrote.
// Columns, not a row a node: copatent.db.unfold turns them back into rows.
UNWIND $runs AS run
CALL gds.graph.nodeProperty.stream($graph_name, run.property, [run.label])
YIELD nodeId, propertyValue
RETURN run.run AS run, collect(nodeId) AS nodeId, collect(propertyValue) AS value
