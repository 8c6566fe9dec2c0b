// The exact diameter of each run's period (copatent.analytics.paths: periods of at most
// DIAMETER_EXACT_MAX nodes): the longest unweighted shortest path along ARC over all ordered
// pairs, taken on the server.
UNWIND $runs AS run
CALL (run) {
  CALL gds.allShortestPaths.stream($graph_name, run.config)
  YIELD sourceNodeId, targetNodeId, distance
  WHERE sourceNodeId <> targetNodeId AND gds.util.isFinite(distance)
  RETURN max(distance) AS longest
}
RETURN run.run AS run, longest
