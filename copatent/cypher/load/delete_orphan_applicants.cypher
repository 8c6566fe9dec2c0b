// The end of a load's replacements (merge_patents): the applicants it took off its patents that
// no patent has any more are deleted, and so is their city or province when nothing is placed in
// it any more (a province stays while one of its cities does): a clean load of the same input
// would not have them. Returns the patents whose applicants the load replaced, and the
// applicants deleted. Idempotent: it reads the load's journal, which load/finish_load clears.
CALL () {
  MATCH (b:LoadBatch {load_key: $load_key})
  RETURN sum(b.updated) AS updated, reduce(n = [], d IN collect(b.detached) | n + d) AS detached
}
CALL (detached) {
  UNWIND detached AS name
  WITH DISTINCT name
  MATCH (a:Applicant {name: name})
  WHERE NOT (a)-[:APPLIED]->()
  OPTIONAL MATCH (a)-[:LOCATED_IN]->(place)
  DETACH DELETE a
  RETURN count(DISTINCT name) AS applicants, collect(DISTINCT place) AS places
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
RETURN updated, applicants
