// One period's network at one scale, directed, from the materialised COLLABORATES relationships.
// Each arc is projected as ARC (s -> t) and as REVERSED (t -> s): GDS closeness sums the distances
// *to* a node, so out-closeness is its closeness on REVERSED.
MATCH (s)-[r:COLLABORATES {scale: $scale, period: $period}]->(t)
UNWIND [[s, t, 'ARC'], [t, s, 'REVERSED']] AS arc
RETURN gds.graph.project(
  $graph_name, arc[0], arc[1],
  {relationshipType: arc[2], relationshipProperties: r {.weight}}
) AS g
