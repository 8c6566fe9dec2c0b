// The applicants of $region (a province or a city at $scale) in $period: the patents each
// filed as first applicant (led) and as another applicant (joined) among the patents with two or
// more applicants, the busiest 20 first.
MATCH (pos:Position {scale: $scale, period: $period})-[:OF]->(region)
WHERE $region IN [pos.name, pos.name_en, pos.key]
MATCH (period:Period {label: $period})
MATCH (a:Applicant)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->(region)
WITH DISTINCT a, period
MATCH (a)-[r:APPLIED]->(p:Patent)
WHERE p.year >= period.start AND p.year <= period.end AND EXISTS { (p)<-[:APPLIED {position: 1}]-() }
WITH a, sum(CASE WHEN r.position = 0 THEN 1 ELSE 0 END) AS led,
     sum(CASE WHEN r.position > 0 THEN 1 ELSE 0 END) AS joined
RETURN a.name AS applicant, a.kind AS kind, led, joined, led + joined AS patents
ORDER BY patents DESC, applicant
LIMIT 20
