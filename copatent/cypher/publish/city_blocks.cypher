// Each City's block in one partition as the property $property (e.g. concor_2016_2020), for
// colouring in Neo4j Browser. The property is first cleared on every City, so nodes outside
// this period's network keep no block from an earlier run. $rows: [{key, block}] by adcode.
// Serialised with every other publish by the write lock on the "publish" Lock node.
MERGE (lock:Lock {name: 'publish'})
SET lock.taken_at = datetime()
WITH lock
MATCH (n:City)
WHERE n[$property] IS NOT NULL
SET n[$property] = null
WITH count(*) AS cleared
UNWIND $rows AS row
MATCH (n:City {adcode: row.key})
SET n[$property] = row.block
RETURN cleared, count(*) AS written
