// One batch of applicants with their kind and place (a City, else a Province, else none), how they
// were placed (geocode: places, columns, address, gazetteer, name, or null) and what decided it
// (geocode_evidence), and the journal entry that marks the batch committed. A place that changed
// since an earlier load moves.
UNWIND $applicants AS row
MERGE (a:Applicant {name: row.name})
SET a.kind = row.kind, a.geocode = row.method, a.geocode_evidence = row.evidence
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
MERGE (b:LoadBatch {load_key: $load_key, batch: $batch})
SET b.committed_at = datetime()
RETURN applicants
