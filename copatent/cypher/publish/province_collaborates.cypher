// Replace the province-scale COLLABORATES relationships of the periods in $periods (labels) by
// $edges: [{source, target, period, weight}] with Province adcodes from collab/province_edges. One
// transaction: a rerun leaves the same relationships, never a mix. The write lock on the
// "publish" Lock node comes first: a concurrent publish waits for this one to commit and
// then deletes what it wrote (reads are read-committed), so two analyses at once leave one
// set of relationships, not two.
MERGE (lock:Lock {name: 'publish'})
SET lock.taken_at = datetime()
WITH lock
OPTIONAL MATCH ()-[old:COLLABORATES {scale: 'province'}]->()
WHERE old.period IN $periods
DELETE old
WITH count(old) AS removed
UNWIND $edges AS e
MATCH (s:Province {adcode: e.source})
MATCH (t:Province {adcode: e.target})
CREATE (s)-[:COLLABORATES {scale: 'province', period: e.period, weight: e.weight}]->(t)
RETURN removed, count(*) AS created
