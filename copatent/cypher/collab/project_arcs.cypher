// Several periods' directed networks in one GDS graph, from the edge lists the *_edges query
// returned: $arcs = [[source, target, weight, label]] with integer node ids and one node label per
// period ("P0", "P1", ...); algorithms pick a period with nodeLabels. Each arc is projected as ARC
// (s -> t) and as REVERSED (t -> s): GDS closeness sums the distances *to* a node, so
// out-closeness is its closeness on REVERSED.
UNWIND $arcs AS arc
UNWIND [[arc[0], arc[1], 'ARC'], [arc[1], arc[0], 'REVERSED']] AS x
RETURN gds.graph.project(
  $graph_name, x[0], x[1],
  {
    sourceNodeLabels: arc[3], targetNodeLabels: arc[3],
    relationshipType: x[2], relationshipProperties: {weight: arc[2]}
  }
) AS g
