// gds.localClusteringCoefficient.stream once per run: $runs = [{run, config}].
UNWIND $runs AS run
CALL gds.localClusteringCoefficient.stream($graph_name, run.config)
YIELD nodeId, localClusteringCoefficient
RETURN run.run AS run, nodeId, localClusteringCoefficient AS value
