// Record a completed load and drop its batch journal.
MERGE (l:Load {key: $load_key})
SET l.files = $files, l.patents = $patents, l.funnel = $funnel, l.options = $options,
    l.completed_at = datetime()
WITH l
OPTIONAL MATCH (b:LoadBatch {load_key: $load_key})
DELETE b
RETURN count(b) AS batches
