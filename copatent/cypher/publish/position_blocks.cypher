// Each Position's block in one or more partitions: the property named by the method (concor,
// louvain or leiden: a closed set checked by copatent.publish) on the positions of scale $scale.
// $partitions: [{period, method}] are cleared first on every position of that period, so a node
// left out of a partition keeps no block from an earlier run; then $rows: [{period, method, key,
// block}] are set. Serialised with every other publish by the write lock on the "publish" Lock.
MERGE (lock:Lock {name: 'publish'})
SET lock.taken_at = datetime()
WITH lock
UNWIND $partitions AS part
OPTIONAL MATCH (pos:Position {scale: $scale, period: part.period})
SET pos[part.method] = null
WITH count(pos) AS cleared
UNWIND $rows AS row
MATCH (pos:Position {scale: $scale, period: row.period, key: row.key})
SET pos[row.method] = row.block
RETURN cleared, count(*) AS written
