// Leading and participating regions of $period at $scale: per role (leader: led more than it
// joined, A > 0; participant: A < 0; balanced: A = 0) the number of regions, the collaborations
// they led (out) and joined (in), and the five with the most collaborations.
MATCH (p:Position {scale: $scale, period: $period})
WITH p ORDER BY p.weighted_degree DESC, p.key
WITH p.role AS role, count(p) AS regions, sum(p.out_strength) AS led,
     sum(p.in_strength) AS joined, collect(p.name)[..5] AS busiest
RETURN role, regions, led, joined, busiest
ORDER BY role
