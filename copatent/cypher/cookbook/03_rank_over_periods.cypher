// $region at $scale in every period: its rank by weighted degree (1 = highest), weighted degree,
// tier, effective flow A and role, and the number of regions in that period's network.
MATCH (p:Position {scale: $scale})-[:IN]->(period:Period)
WHERE $region IN [p.name, p.name_en, p.key]
MATCH (peer:Position {scale: $scale, period: period.label})
RETURN period.label AS period, p.rank AS rank, count(peer) AS of_regions,
       p.weighted_degree AS weighted_degree, p.tier AS tier, p.flow_a AS flow_a, p.role AS role
ORDER BY period
