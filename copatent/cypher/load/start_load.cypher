// Open the journal of a load before it writes anything, or reopen it on a rerun that continues
// it ($command: the command line that reruns it, for the message that names it): the batch size stays the one the load started with, so that the rerun cuts the same
// batches. Count the load in the generation of the "loads" lock, which analyses read before and
// after they read the graph: a load that starts while they read changes it.
MERGE (lock:Lock {name: 'loads'})
SET lock.generation = coalesce(lock.generation, 0) + 1
MERGE (j:LoadJournal {load_key: $load_key})
ON CREATE SET j.started_at = datetime(), j.batch_size = $batch_size
SET j.files = $files, j.command = $command, j.applicants = $applicants, j.patents = $patents,
    j.opened_at = datetime()
RETURN j.batch_size AS batch_size
