// Remove the Position nodes of scale $scale and the period labels in $periods, with their OF, IN
// and ARC relationships: the first step of replacing an analysis' results (publish.analysis, one
// transaction per scale). Takes the write lock on the "publish" Lock node first, as every
// publish query does, so two analyses publishing at once leave one set of positions, not two.
MERGE (lock:Lock {name: 'publish'})
SET lock.taken_at = datetime()
WITH lock
OPTIONAL MATCH (pos:Position {scale: $scale})
WHERE pos.period IN $periods
DETACH DELETE pos
RETURN count(pos) AS removed
