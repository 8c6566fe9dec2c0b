// The generation of the "loads" lock (counted up whenever a load starts or finishes) and, in the
// same transaction, every unfinished load: the journals opened by loads that have not finished
// (still writing, or stopped), and the committed batches per load key (a journal written by an
// earlier copatent has batches but no header).
OPTIONAL MATCH (lock:Lock {name: 'loads'})
WITH coalesce(lock.generation, 0) AS generation
CALL () {
  OPTIONAL MATCH (b:LoadBatch)
  WITH b.load_key AS load_key, count(b) AS committed, max(b.committed_at) AS last
  RETURN collect(
    CASE WHEN load_key IS NOT NULL
      THEN {load_key: load_key, committed: committed, last_commit: toString(last)}
    END
  ) AS batches
}
CALL () {
  OPTIONAL MATCH (j:LoadJournal)
  RETURN collect(
    j {
      .load_key, .files, .command, .applicants, .patents, .batch_size,
      started_at: toString(j.started_at)
    }
  ) AS journals
}
RETURN generation, batches, journals
