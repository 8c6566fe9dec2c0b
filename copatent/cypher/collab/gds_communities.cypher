// The communities a gds.louvain/leiden.mutate run left in the projection: $runs = [{run, property,
// label}], one copy's node label and the property its run wrote.
UNWIND $runs AS run
CALL gds.graph.nodeProperty.stream($graph_name, run.property, [run.label])
YIELD nodeId, propertyValue
RETURN run.run AS run, nodeId, propertyValue AS value
