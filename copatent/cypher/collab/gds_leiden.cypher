// gds.leiden.stream once per run: $runs = [{run, config}], config naming one copy's nodeLabels
// and its randomSeed (with concurrency 1, as GDS requires for a seeded run).
UNWIND $runs AS run
CALL gds.leiden.stream($graph_name, run.config) YIELD nodeId, communityId
RETURN run.run AS run, nodeId, communityId AS value
