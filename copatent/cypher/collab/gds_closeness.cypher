// gds.closeness.stream once per run: $runs = [{run, config}], config naming the period's nodeLabels.
// Columns, not a row a node: copatent.db.unfold turns them back into rows.
UNWIND $runs AS run
CALL gds.closeness.stream($graph_name, run.config) YIELD nodeId, score
RETURN run.run AS run, collect(nodeId) AS nodeId, collect(score) AS value
