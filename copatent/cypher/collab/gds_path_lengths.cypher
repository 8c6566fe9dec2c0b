// Unweighted shortest paths along ARC between all ordered pairs of each run's period, summed up
// on the server: the reachable pairs (s != t; GDS emits no others), their mean length, the longest.
UNWIND $runs AS run
CALL (run) {
  CALL gds.allShortestPaths.stream($graph_name, run.config)
  YIELD sourceNodeId, targetNodeId, distance
  WHERE sourceNodeId <> targetNodeId AND gds.util.isFinite(distance)
  RETURN count(*) AS pairs, avg(distance) AS mean, max(distance) AS longest
}
RETURN run.run AS run, pairs, mean, longest
