// The shortest collaboration path between $region and $other in the network of $period at
// $scale, as a graph: the fewest ARCs from one to the other, in either direction. A direct arc
// gives a path of one step; no result means they are in different components.
MATCH (a:Position {scale: $scale, period: $period})
WHERE $region IN [a.name, a.name_en, a.key]
MATCH (b:Position {scale: $scale, period: $period})
WHERE $other IN [b.name, b.name_en, b.key] AND b <> a
MATCH path = shortestPath((a)-[:ARC*]-(b))
RETURN path
