// GDS's estimate of Louvain (concurrency 1, as the engine runs it) on a fictitious graph of
// $nodes nodes and $relationships relationships, projection included (bench/capacity.py).
CALL gds.louvain.stream.estimate(
  {nodeCount: $nodes, relationshipCount: $relationships, nodeProjection: '*',
   relationshipProjection: '*'},
  {concurrency: 1}
)
YIELD bytesMax
RETURN bytesMax AS bytes_max
