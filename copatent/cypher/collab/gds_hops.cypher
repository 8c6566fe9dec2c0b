// One breadth-first sweep of the diameter's lower bound (copatent.analytics.paths.sweep): the
// hops from $config.sourceNode to every node it reaches, along ARC (forward) or REVERSED
// (backward), within the period $config.nodeLabels names.
// Columns, not a row a node: copatent.db.unfold turns them back into rows.
CALL gds.allShortestPaths.delta.stream($graph_name, $config)
YIELD targetNode, totalCost
RETURN collect(targetNode) AS nodeId, collect(totalCost) AS hops
