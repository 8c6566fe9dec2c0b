// Unweighted shortest paths along out-arcs (relationship type ARC) between all ordered pairs of a
// projected graph, summed up on the server: the reachable pairs (s != t), their mean length and
// the longest.
CALL gds.allShortestPaths.stream($graph_name, {relationshipTypes: ['ARC']})
YIELD sourceNodeId, targetNodeId, distance
WHERE sourceNodeId <> targetNodeId AND distance < 1.0e300
RETURN count(*) AS pairs, avg(distance) AS mean, max(distance) AS longest
