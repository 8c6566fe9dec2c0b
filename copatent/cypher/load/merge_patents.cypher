// One batch of patents, each with its applicants in order (position 0 = the first applicant),
// and the journal entry that marks the batch committed. The applicants were written before.
// A patent already in the graph whose applicants (names or positions) differ from the row's,
// e.g. from a corrected export, has its APPLIED relationships replaced, so it keeps exactly one
// first applicant; the journal entry counts those patents and keeps the names taken off them
// (load/delete_orphan_applicants deletes those left without any patent). Each patent is linked
// FROM every input file that brought it (row.sources: SHA-256s, the (:Source) nodes written by
// load/merge_sources); a link from an earlier load stays.
UNWIND $patents AS row
MERGE (p:Patent {pub_no: row.pub_no})
SET p.app_no = row.app_no, p.title = row.title, p.app_date = date(row.app_date),
    p.year = row.year, p.kind = row.kind
WITH p, row
CALL (p) {
  OPTIONAL MATCH (old:Applicant)-[r:APPLIED]->(p)
  WITH old, r ORDER BY r.position, old.name
  RETURN collect(r) AS stored, collect([old.name, r.position]) AS had
}
WITH p, row, stored, [x IN had WHERE x[0] IS NOT NULL] AS had,
     [a IN row.applicants | [a.name, a.position]] AS wanted
WITH p, row, stored, had, wanted, size(had) > 0 AND had <> wanted AS replaced
FOREACH (r IN CASE WHEN replaced THEN stored ELSE [] END | DELETE r)
WITH p, row, replaced,
     [x IN had WHERE replaced AND NOT x[0] IN [w IN wanted | w[0]] | x[0]] AS detached
CALL (p, row) {
  UNWIND row.applicants AS applicant
  MATCH (a:Applicant {name: applicant.name})
  MERGE (a)-[r:APPLIED]->(p)
  SET r.position = applicant.position
}
CALL (p, row) {
  UNWIND coalesce(row.sources, []) AS sha256
  MATCH (s:Source {sha256: sha256})
  MERGE (p)-[:FROM]->(s)
}
WITH sum(CASE WHEN replaced THEN 1 ELSE 0 END) AS updated, collect(detached) AS detached
MERGE (b:LoadBatch {load_key: $load_key, batch: $batch})
SET b.committed_at = datetime(), b.updated = updated,
    b.detached = reduce(names = [], d IN detached | names + d)
RETURN updated
