// Directed collaborations between applicants by the first-applicant rule (DESIGN.md item 2), per
// period: first applicant -> each other applicant. $periods: [{label, start, end}], inclusive
// application years. An applicant's key is its name, so the rows carry no separate names. One
// record a period whose columns are lists (copatent.db.unfold): at the applicant scale a row an
// arc costs the driver seconds.
UNWIND $periods AS period
MATCH (p:Patent)
WHERE p.year >= period.start AND p.year <= period.end
MATCH (s:Applicant)-[:APPLIED {position: 0}]->(p)<-[r:APPLIED]-(t:Applicant)
WHERE r.position > 0
WITH period.label AS period, s.name AS source, t.name AS target, count(*) AS weight
RETURN period, collect(source) AS source, collect(target) AS target, collect(weight) AS weight
