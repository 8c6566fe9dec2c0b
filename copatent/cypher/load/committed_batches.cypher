// Batches of a load already committed (the load journal), so that a rerun continues.
MATCH (b:LoadBatch {load_key: $load_key})
RETURN b.batch AS batch
