// The record of one run of a study (copatent run), as its run.json holds it: $study (name),
// $id (the run's number) and $props (plain values; nested ones as JSON text). A run records
// itself when it ends (succeeded, failed or skipped); a killed run is recorded by the next one.
MERGE (r:Run {study: $study, id: $id})
SET r += $props
RETURN r.id AS id, r.status AS status
