// The loaded patents per application year: all of them, those with two or more applicants (the
// ones that make collaborations) and those whose applicants sit in two or more provinces.
MATCH (p:Patent)
OPTIONAL MATCH (p)<-[:APPLIED]-(:Applicant)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->(pr:Province)
WITH p, count(DISTINCT pr) AS provinces, COUNT { (p)<-[:APPLIED]-() } AS applicants
RETURN p.year AS year, count(p) AS patents,
       sum(CASE WHEN applicants >= 2 THEN 1 ELSE 0 END) AS collaborative,
       sum(CASE WHEN provinces >= 2 THEN 1 ELSE 0 END) AS across_provinces
ORDER BY year
