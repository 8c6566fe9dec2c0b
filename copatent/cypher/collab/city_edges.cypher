// Directed collaborations between cities by the first-applicant rule (DESIGN.md item 2), per
// period. $periods: [{label, start, end}], inclusive application years. A row with source = target
// counts collaborations inside one city (its internal count, not an edge); a row with a null end
// counts collaborations with an applicant placed in no city (left out of the network).
UNWIND $periods AS period
MATCH (p:Patent)
WHERE p.year >= period.start AND p.year <= period.end
MATCH (a0:Applicant)-[:APPLIED {position: 0}]->(p)<-[r:APPLIED]-(aj:Applicant)
WHERE r.position > 0
OPTIONAL MATCH (a0)-[:LOCATED_IN]->(s:City)
OPTIONAL MATCH (aj)-[:LOCATED_IN]->(t:City)
RETURN
  period.label AS period,
  s.adcode AS source, s.name AS source_name,
  t.adcode AS target, t.name AS target_name,
  count(*) AS weight
