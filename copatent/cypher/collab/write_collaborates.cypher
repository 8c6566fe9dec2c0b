// Replace one scale's COLLABORATES relationships of the periods in $periods (labels) by $edges:
// [{source_id, target_id, period, weight}] with element ids from the *_edges queries. One
// transaction: a rerun leaves the same relationships, never a mix.
OPTIONAL MATCH ()-[old:COLLABORATES {scale: $scale}]->()
WHERE old.period IN $periods
DELETE old
WITH count(old) AS removed
UNWIND $edges AS e
MATCH (s) WHERE elementId(s) = e.source_id
MATCH (t) WHERE elementId(t) = e.target_id
CREATE (s)-[:COLLABORATES {scale: $scale, period: e.period, weight: e.weight}]->(t)
RETURN removed, count(*) AS created
