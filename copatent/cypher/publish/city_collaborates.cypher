// Replace the city-scale COLLABORATES relationships of the periods in $periods (labels) by
// $edges: [{source, target, period, weight}] with City adcodes from collab/city_edges. One
// transaction: a rerun leaves the same relationships, never a mix.
OPTIONAL MATCH ()-[old:COLLABORATES {scale: 'city'}]->()
WHERE old.period IN $periods
DELETE old
WITH count(old) AS removed
UNWIND $edges AS e
MATCH (s:City {adcode: e.source})
MATCH (t:City {adcode: e.target})
CREATE (s)-[:COLLABORATES {scale: 'city', period: e.period, weight: e.weight}]->(t)
RETURN removed, count(*) AS created
