// $region and $other across the periods at $scale: the collaborations each led with the other.
// region_led: patents' first applicant in $region, another applicant in $other (the
// COLLABORATES weight $region -> $other); other_led: the reverse; 0 where there was none.
MATCH (a:Position {scale: $scale})-[:OF]->(ra)
WHERE $region IN [a.name, a.name_en, a.key]
WITH DISTINCT ra
MATCH (b:Position {scale: $scale})-[:OF]->(rb)
WHERE $other IN [b.name, b.name_en, b.key]
WITH DISTINCT ra, rb
MATCH (period:Period)
OPTIONAL MATCH (ra)-[led:COLLABORATES {scale: $scale, period: period.label}]->(rb)
OPTIONAL MATCH (rb)-[joined:COLLABORATES {scale: $scale, period: period.label}]->(ra)
RETURN period.label AS period, ra.name AS region, rb.name AS other,
       coalesce(led.weight, 0) AS region_led, coalesce(joined.weight, 0) AS other_led,
       coalesce(led.weight, 0) + coalesce(joined.weight, 0) AS total
ORDER BY period
