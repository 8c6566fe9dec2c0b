// Table 1 in brief, from the published results: per period at $scale, the nodes (positions),
// arcs, total collaborations (ARC weight) and the binary and valued densities
// arcs / (n(n-1)) and weight / (n(n-1)). `copatent analyze` prints the full table.
MATCH (period:Period)<-[:IN]-(p:Position {scale: $scale})
OPTIONAL MATCH (p)-[r:ARC]->()
WITH period, count(DISTINCT p) AS nodes, count(r) AS arcs, sum(r.weight) AS weight
RETURN period.label AS period, nodes, arcs, weight,
       CASE WHEN nodes > 1 THEN toFloat(arcs) / (nodes * (nodes - 1)) END AS density_binary,
       CASE WHEN nodes > 1 THEN toFloat(weight) / (nodes * (nodes - 1)) END AS density_valued
ORDER BY period
