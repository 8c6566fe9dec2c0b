// Distance decay in $period at $scale (province or city): arcs and collaborations by the
// distance between the regions' seats, in bands of 250 km up to 1,000 km, then 1,000-1,500,
// 1,500-2,000 and 2,000+ km (the bands of `copatent analyze`'s distance_decay tables).
MATCH (:Position {scale: $scale, period: $period})-[r:ARC]->()
WHERE r.distance_km IS NOT NULL
WITH r, CASE
  WHEN r.distance_km < 250 THEN '0-250 km'
  WHEN r.distance_km < 500 THEN '250-500 km'
  WHEN r.distance_km < 750 THEN '500-750 km'
  WHEN r.distance_km < 1000 THEN '750-1000 km'
  WHEN r.distance_km < 1500 THEN '1000-1500 km'
  WHEN r.distance_km < 2000 THEN '1500-2000 km'
  ELSE '2000+ km' END AS band
RETURN band, min(r.distance_km) AS nearest_km, count(r) AS arcs, sum(r.weight) AS weight,
       avg(r.weight) AS mean_weight
ORDER BY nearest_km
