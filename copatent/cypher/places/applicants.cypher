// Every applicant with its place (`copatent places list`, `places unplaced`, `places variants`):
// the province and city it is LOCATED_IN, how it was placed (geocode) and what decided it
// (geocode_evidence), and the collaborations it carries (a patent's first applicant k - 1 among
// k applicants, every other applicant 1) with its patents.
MATCH (a:Applicant)
OPTIONAL MATCH (a)-[:LOCATED_IN]->(place)
OPTIONAL MATCH (place)-[:IN_PROVINCE]->(province:Province)
CALL (a) {
  OPTIONAL MATCH (a)-[r:APPLIED]->(p:Patent)
  WITH r, CASE WHEN p IS NULL THEN 0 ELSE COUNT { (p)<-[:APPLIED]-() } END AS k
  RETURN sum(CASE WHEN r IS NULL THEN 0 WHEN r.position = 0 THEN k - 1 ELSE 1 END) AS collaborations,
         count(r) AS patents
}
RETURN a.name AS name,
       CASE WHEN place:City THEN coalesce(province.adcode, place.adcode)
            WHEN place:Province THEN place.adcode END AS province_adcode,
       CASE WHEN place:City THEN place.adcode END AS city_adcode,
       a.geocode AS method,
       a.geocode_evidence AS evidence,
       collaborations,
       patents
ORDER BY name
