// The collaboration network of one period at one scale ($scale, $period), as a graph.
// Each node is a Position: one region (or applicant) in that period, carrying its measures.
// Its label :Tier1 (lowest) ... :Tier4 (highest) is its natural-break tier of weighted degree:
// the copatent style (applied on connect) draws higher tiers larger and darker.
// Each ARC points from the region of a patent's first applicant to the region of another
// applicant of the same patent; weight = number of such collaborations, tier = edge tier (the
// baseline period's breaks), distance_km = distance between the regions' seats.
MATCH (a:Position {scale: $scale, period: $period})-[r:ARC]->(b:Position)
RETURN a, r, b
