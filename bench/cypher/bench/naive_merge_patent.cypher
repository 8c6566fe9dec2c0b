// The naive baseline: one patent per transaction, one MERGE per node and relationship, as a
// row-by-row loader (py2neo's graph.merge style) does. Same graph as load/merge_batch.
MERGE (p:Patent {pub_no: $patent.pub_no})
SET p.app_no = $patent.app_no, p.title = $patent.title, p.app_date = date($patent.app_date),
    p.year = $patent.year, p.kind = $patent.kind
WITH p
UNWIND $applicants AS row
MERGE (a:Applicant {name: row.name})
SET a.kind = row.kind, a.geocode = row.method
MERGE (a)-[r:APPLIED]->(p)
SET r.position = row.position
WITH a, row
OPTIONAL MATCH (c:City {adcode: row.city_adcode})
OPTIONAL MATCH (pr:Province {adcode: row.province_adcode})
WITH a, CASE WHEN row.city_adcode IS NOT NULL THEN c ELSE pr END AS place
FOREACH (x IN CASE WHEN place IS NULL THEN [] ELSE [place] END | MERGE (a)-[:LOCATED_IN]->(x))
