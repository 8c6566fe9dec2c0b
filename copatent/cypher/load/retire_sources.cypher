// Retire the input files that left the study: every (:Source) whose sha256 is not in $keep goes,
// with its FROM links; a patent left with no FROM at all goes (DETACH DELETE: its APPLIED too);
// an applicant of those patents left with no patent goes, and so does a city or province left
// with nothing placed in it (a province stays while one of its cities does), as a clean load of
// the remaining inputs would not have them. A completed (:Load) that read a retired file is
// forgotten, so loading those files again writes them again. A patent with no FROM before
// (loaded by a copatent that kept no provenance) stays, unless $unsourced.
// One transaction, which first counts up the generation of the "loads" lock (analyses reading
// meanwhile see the graph changed) and holds it: a load cannot start meanwhile; and nothing is
// deleted while a load is unfinished (its journal is open): `unfinished` says so.
MERGE (lock:Lock {name: 'loads'})
SET lock.generation = coalesce(lock.generation, 0) + 1
WITH COUNT { (:LoadJournal) } + COUNT { (:LoadBatch) } AS unfinished
CALL (unfinished) {
  MATCH (p:Patent)
  WHERE $unsourced AND unfinished = 0 AND NOT (p)-[:FROM]->()
  RETURN collect(p) AS unsourced
}
CALL (unfinished) {
  MATCH (s:Source)
  WHERE unfinished = 0 AND NOT s.sha256 IN $keep
  OPTIONAL MATCH (p:Patent)-[:FROM]->(s)
  WITH s, collect(p) AS brought
  RETURN collect(s) AS retired, collect(s {.sha256, .path, .name}) AS files,
         reduce(acc = [], b IN collect(brought) | acc + b) AS touched
}
CALL (retired) {
  UNWIND retired AS s
  DETACH DELETE s
}
CALL (unfinished) {
  MATCH (l:Load)
  WHERE unfinished = 0 AND any(h IN coalesce(l.sources, []) WHERE NOT h IN $keep)
  DETACH DELETE l
  RETURN count(l) AS loads
}
CALL (touched) {
  UNWIND touched AS p
  WITH DISTINCT p
  WHERE NOT (p)-[:FROM]->()
  RETURN collect(p) AS orphaned
}
CALL (orphaned, unsourced) {
  UNWIND orphaned + unsourced AS p
  WITH DISTINCT p
  OPTIONAL MATCH (a:Applicant)-[:APPLIED]->(p)
  WITH p, collect(a) AS applicants
  DETACH DELETE p
  RETURN count(p) AS patents, reduce(acc = [], x IN collect(applicants) | acc + x) AS applicants
}
CALL (applicants) {
  UNWIND applicants AS a
  WITH DISTINCT a
  WHERE NOT (a)-[:APPLIED]->()
  OPTIONAL MATCH (a)-[:LOCATED_IN]->(place)
  DETACH DELETE a
  RETURN count(DISTINCT a) AS applicants_removed, collect(DISTINCT place) AS places
}
CALL (places) {
  UNWIND places AS place
  WITH place
  WHERE NOT ()-[:LOCATED_IN]->(place) AND NOT (:City)-[:IN_PROVINCE]->(place)
  OPTIONAL MATCH (place)-[:IN_PROVINCE]->(province:Province)
  DETACH DELETE place
  WITH DISTINCT province
  WHERE province IS NOT NULL
    AND NOT ()-[:LOCATED_IN]->(province) AND NOT (:City)-[:IN_PROVINCE]->(province)
  DETACH DELETE province
}
RETURN unfinished, files, patents, size(unsourced) AS unsourced, applicants_removed AS applicants,
       loads
