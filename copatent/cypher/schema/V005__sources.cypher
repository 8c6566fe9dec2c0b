// Provenance (docs: the graph model): one (:Source) per input file, keyed by the SHA-256 of its
// bytes; (:Patent)-[:FROM]->(:Source) for each file that brought the patent. MERGE on Source is
// safe under concurrency only with this constraint.
CREATE CONSTRAINT source_sha256 IF NOT EXISTS FOR (s:Source) REQUIRE s.sha256 IS UNIQUE;
