// One applicant's place as the graph holds it (`copatent places explain NAME`): the province and
// city it is LOCATED_IN, how it was placed (geocode) and what decided it (geocode_evidence).
MATCH (a:Applicant {name: $name})
OPTIONAL MATCH (a)-[:LOCATED_IN]->(place)
OPTIONAL MATCH (place)-[:IN_PROVINCE]->(province:Province)
RETURN a.name AS name,
       CASE WHEN place:City THEN coalesce(province.adcode, place.adcode)
            WHEN place:Province THEN place.adcode END AS province_adcode,
       CASE WHEN place:City THEN place.adcode END AS city_adcode,
       a.geocode AS method,
       a.geocode_evidence AS evidence
