// How much of the city network of $period crosses a province border: the arcs and
// collaborations between cities of one province and between cities of different provinces,
// with their shares. A municipality (Beijing, Shanghai, Tianjin, Chongqing) is its own province.
MATCH (a:Position {scale: 'city', period: $period})-[r:ARC]->(b:Position)
MATCH (a)-[:OF]->(:City)-[:IN_PROVINCE*0..1]->(pa:Province)
MATCH (b)-[:OF]->(:City)-[:IN_PROVINCE*0..1]->(pb:Province)
WITH DISTINCT r, pa = pb AS same_province
WITH CASE WHEN same_province THEN 'within a province' ELSE 'across provinces' END AS kind,
     count(r) AS arcs, sum(r.weight) AS weight
WITH collect({kind: kind, arcs: arcs, weight: weight}) AS rows, sum(weight) AS total
UNWIND rows AS row
RETURN row.kind AS kind, row.arcs AS arcs, row.weight AS weight,
       toFloat(row.weight) / total AS weight_share
ORDER BY kind
