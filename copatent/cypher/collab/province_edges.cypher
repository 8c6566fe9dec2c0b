// Directed collaborations between provinces by the first-applicant rule (DESIGN.md item 2), per
// period. An applicant's province is its city's, or the province it is placed in directly.
// $periods: [{label, start, end}], inclusive application years. A row with source = target
// counts collaborations inside one province (its internal count, not an edge); a row with a null
// end counts collaborations with an applicant placed nowhere (left out of the network).
UNWIND $periods AS period
MATCH (p:Patent)
WHERE p.year >= period.start AND p.year <= period.end
MATCH (a0:Applicant)-[:APPLIED {position: 0}]->(p)<-[r:APPLIED]-(aj:Applicant)
WHERE r.position > 0
OPTIONAL MATCH (a0)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->(s:Province)
OPTIONAL MATCH (aj)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->(t:Province)
RETURN
  period.label AS period,
  s.adcode AS source, s.name AS source_name,
  t.adcode AS target, t.name AS target_name,
  count(*) AS weight
