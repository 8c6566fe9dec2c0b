// gds.louvain.mutate once per run: $runs = [{run, config}], config naming one copy's nodeLabels and
// the mutateProperty that keeps its communities in the projection. Only the modularity comes back;
// collab/gds_communities streams the communities of the copies worth comparing.
UNWIND $runs AS run
CALL gds.louvain.mutate($graph_name, run.config) YIELD modularity
RETURN run.run AS run, modularity
