// How the subgroups of $period at $scale ($method: concor, louvain or leiden) work together:
// collaborations (ARC weight) and arcs from each block to each block, the diagonal being the
// block's internal ties. Run `copatent subgroups` first.
MATCH (a:Position {scale: $scale, period: $period})-[r:ARC]->(b:Position)
WHERE a[$method] IS NOT NULL AND b[$method] IS NOT NULL
RETURN a[$method] AS from_block, b[$method] AS to_block, count(r) AS arcs, sum(r.weight) AS weight
ORDER BY from_block, to_block
