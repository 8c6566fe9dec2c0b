// The 20 strongest arcs of $period at $scale: who led (first applicant's region) and who
// joined, the collaborations (weight), the edge tier (breaks of the baseline period, 1 = weakest)
// and the distance between the regions' seats.
MATCH (a:Position {scale: $scale, period: $period})-[r:ARC]->(b:Position)
RETURN a.name AS leader, b.name AS partner, r.weight AS weight, r.tier AS tier,
       r.distance_km AS distance_km
ORDER BY weight DESC, leader, partner
LIMIT 20
