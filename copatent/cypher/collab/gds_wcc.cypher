// gds.wcc.stream once per run: $runs = [{run, config}], config naming the period's nodeLabels.
// Columns, not a row a node: copatent.db.unfold turns them back into rows.
UNWIND $runs AS run
CALL gds.wcc.stream($graph_name, run.config) YIELD nodeId, componentId
RETURN run.run AS run, collect(nodeId) AS nodeId, collect(componentId) AS value
