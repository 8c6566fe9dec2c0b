// Replace the applicant-scale COLLABORATES relationships of the periods in $periods (labels) by
// the edges in the columns $source, $target (positions in $keys: Applicant names from
// collab/applicant_edges), $period and $weight. One transaction: a rerun leaves the same relationships,
// never a mix. The write lock on the "publish" Lock node comes first: a concurrent publish
// waits for this one to commit and then deletes what it wrote (reads are read-committed), so
// two analyses at once leave one set of relationships, not two. Each key is looked up once,
// not once an edge, and columns cost less to send and read than a map an edge; an edge whose
// end is no longer in the graph is left out.
MERGE (lock:Lock {name: 'publish'})
SET lock.taken_at = datetime()
WITH lock
OPTIONAL MATCH ()-[old:COLLABORATES {scale: 'applicant'}]->()
WHERE old.period IN $periods
DELETE old
WITH count(old) AS removed
UNWIND $keys AS key
OPTIONAL MATCH (node:Applicant {name: key})
WITH removed, collect([node]) AS nodes  // [node], not node: collect keeps a missing one's place
UNWIND range(0, size($source) - 1) AS i
WITH removed, nodes[$source[i]][0] AS s, nodes[$target[i]][0] AS t, i
WHERE s IS NOT NULL AND t IS NOT NULL
CREATE (s)-[:COLLABORATES {scale: 'applicant', period: $period[i], weight: $weight[i]}]->(t)
RETURN removed, count(*) AS created
