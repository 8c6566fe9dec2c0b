// gds.closeness.stream once per run: $runs = [{run, config}], config naming the period's nodeLabels.
UNWIND $runs AS run
CALL gds.closeness.stream($graph_name, run.config) YIELD nodeId, score
RETURN run.run AS run, nodeId, score AS value
