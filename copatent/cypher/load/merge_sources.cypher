// The input files of a load, one (:Source) per SHA-256 of a file's bytes. loaded_at is when those
// bytes were first loaded; the path and name are the latest load's (the same bytes may move).
// Written before the patent batches, which link their patents to these (merge_patents).
UNWIND $sources AS row
MERGE (s:Source {sha256: row.sha256})
ON CREATE SET s.loaded_at = datetime()
SET s.path = row.path, s.resolved = row.resolved, s.name = row.name, s.bytes = row.bytes
RETURN count(s) AS sources
