// gds.wcc.stream once per run: $runs = [{run, config}], config naming the period's nodeLabels.
UNWIND $runs AS run
CALL gds.wcc.stream($graph_name, run.config) YIELD nodeId, componentId
RETURN run.run AS run, nodeId, componentId AS value
