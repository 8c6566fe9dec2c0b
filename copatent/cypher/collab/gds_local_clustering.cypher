// gds.localClusteringCoefficient.stream once per run: $runs = [{run, config}].
// Columns, not a row a node: copatent.db.unfold turns them back into rows.
UNWIND $runs AS run
CALL gds.localClusteringCoefficient.stream($graph_name, run.config)
YIELD nodeId, localClusteringCoefficient
RETURN run.run AS run, collect(nodeId) AS nodeId, collect(localClusteringCoefficient) AS value
