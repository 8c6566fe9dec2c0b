// One batch of patents with their applicants, in one transaction: the applicants (kind, place),
// the patents, the APPLIED relationships with the applicant's position (0 = first applicant),
// and the journal entry that marks the batch committed.
UNWIND $applicants AS row
MERGE (a:Applicant {name: row.name})
SET a.kind = row.kind, a.geocode = row.method
WITH a, row
OPTIONAL MATCH (c:City {adcode: row.city_adcode})
OPTIONAL MATCH (p:Province {adcode: row.province_adcode})
WITH a, CASE WHEN row.city_adcode IS NOT NULL THEN c ELSE p END AS place
CALL (a, place) {
  OPTIONAL MATCH (a)-[old:LOCATED_IN]->(other)
  WHERE place IS NULL OR other <> place
  DELETE old
}
FOREACH (x IN CASE WHEN place IS NULL THEN [] ELSE [place] END | MERGE (a)-[:LOCATED_IN]->(x))
WITH count(*) AS applicants
UNWIND $patents AS row
MERGE (p:Patent {pub_no: row.pub_no})
SET p.app_no = row.app_no, p.title = row.title, p.app_date = date(row.app_date),
    p.year = row.year, p.kind = row.kind
WITH count(*) AS patents
UNWIND $applied AS row
MATCH (a:Applicant {name: row.name})
MATCH (p:Patent {pub_no: row.pub_no})
MERGE (a)-[r:APPLIED]->(p)
SET r.position = row.position
WITH count(*) AS applied
MERGE (b:LoadBatch {load_key: $load_key, batch: $batch})
SET b.committed_at = datetime()
RETURN applied
