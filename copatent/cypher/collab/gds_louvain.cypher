// gds.louvain.stream once per run: $runs = [{run, config}], config naming one copy's nodeLabels.
UNWIND $runs AS run
CALL gds.louvain.stream($graph_name, run.config) YIELD nodeId, communityId
RETURN run.run AS run, nodeId, communityId AS value
