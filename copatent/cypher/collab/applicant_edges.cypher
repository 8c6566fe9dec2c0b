// Directed collaborations between applicants by the first-applicant rule (DESIGN.md item 2), per
// period: first applicant -> each other applicant. $periods: [{label, start, end}], inclusive
// application years.
UNWIND $periods AS period
MATCH (p:Patent)
WHERE p.year >= period.start AND p.year <= period.end
MATCH (s:Applicant)-[:APPLIED {position: 0}]->(p)<-[r:APPLIED]-(t:Applicant)
WHERE r.position > 0
RETURN
  period.label AS period,
  s.name AS source, s.name AS source_name,
  t.name AS target, t.name AS target_name,
  count(*) AS weight
