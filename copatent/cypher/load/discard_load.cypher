// Close an unfinished load's journal without finishing it: the header and the committed batches
// go, what the batches wrote stays in the graph. Counted in the generation of the "loads" lock,
// like a finished load.
MERGE (lock:Lock {name: 'loads'})
SET lock.generation = coalesce(lock.generation, 0) + 1
WITH lock
OPTIONAL MATCH (j:LoadJournal {load_key: $load_key})
DELETE j
WITH count(j) AS journals
OPTIONAL MATCH (b:LoadBatch {load_key: $load_key})
DELETE b
RETURN journals, count(b) AS batches
