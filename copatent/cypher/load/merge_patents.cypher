// One batch of patents, each with its applicants in order (position 0 = the first applicant),
// and the journal entry that marks the batch committed. The applicants were written before.
UNWIND $patents AS row
MERGE (p:Patent {pub_no: row.pub_no})
SET p.app_no = row.app_no, p.title = row.title, p.app_date = date(row.app_date),
    p.year = row.year, p.kind = row.kind
WITH p, row
UNWIND row.applicants AS applicant
MATCH (a:Applicant {name: applicant.name})
MERGE (a)-[r:APPLIED]->(p)
SET r.position = applicant.position
WITH count(*) AS applied
MERGE (b:LoadBatch {load_key: $load_key, batch: $batch})
SET b.committed_at = datetime()
RETURN applied
