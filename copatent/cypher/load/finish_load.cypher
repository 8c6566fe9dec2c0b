// Record a completed load, close its journal (the header and the committed batches), and count
// it in the generation of the "loads" lock (analyses that read meanwhile see it changed).
// sources: the SHA-256 of each input file; retiring one of them forgets the load (retire_sources).
MERGE (l:Load {key: $load_key})
SET l.files = $files, l.sources = $sources, l.patents = $patents, l.funnel = $funnel,
    l.options = $options, l.completed_at = datetime()
MERGE (lock:Lock {name: 'loads'})
SET lock.generation = coalesce(lock.generation, 0) + 1
WITH l
OPTIONAL MATCH (j:LoadJournal {load_key: $load_key})
DELETE j
WITH count(j) AS journals
OPTIONAL MATCH (b:LoadBatch {load_key: $load_key})
DELETE b
RETURN count(b) AS batches
