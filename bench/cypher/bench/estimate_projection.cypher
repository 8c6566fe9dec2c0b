// GDS's estimate of a projection of $nodes nodes and $relationships weighted relationships
// (bench/capacity.py): the heap the engine's directed graph needs.
CALL gds.graph.project.estimate('*', {R: {properties: 'weight'}}, {
  nodeCount: $nodes, relationshipCount: $relationships
})
YIELD bytesMax
RETURN bytesMax AS bytes_max
