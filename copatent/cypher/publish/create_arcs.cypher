// One (:Position)-[:ARC {weight, tier, distance_km}]->(:Position) per arc of the period networks
// of scale $scale, from $arcs: [{period, source, target, weight, tier, distance_km}] (the edge
// tables: tier from the baseline's breaks, null when none; distance_km null at the applicant
// scale or for a region without a seat). Runs after the positions were created in the same
// transaction; the old ARCs went with the old positions.
UNWIND $arcs AS arc
MATCH (a:Position {scale: $scale, period: arc.period, key: arc.source})
MATCH (b:Position {scale: $scale, period: arc.period, key: arc.target})
CREATE (a)-[:ARC {weight: arc.weight, tier: arc.tier, distance_km: arc.distance_km}]->(b)
RETURN count(*) AS created
