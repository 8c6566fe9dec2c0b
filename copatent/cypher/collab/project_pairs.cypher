// Undirected copies of several periods' networks in one GDS graph: one edge per linked pair with
// the reciprocal weights summed (W + W^T), the view of Louvain and the local clustering
// coefficient. $nodes = [[id, label]] lists every copy's nodes first, in the copy's order (GDS
// numbers them in it and Louvain visits them in it), $pairs = [[a, b, weight, label]]; a label
// ("P0R3": period 0, run 3) is one copy, picked by the algorithms with nodeLabels.
CALL () {
  UNWIND $nodes AS node
  RETURN node[0] AS a, null AS b, null AS weight, node[1] AS label
  UNION ALL
  UNWIND $pairs AS pair
  RETURN pair[0] AS a, pair[1] AS b, pair[2] AS weight, pair[3] AS label
}
RETURN gds.graph.project(
  $graph_name, a, b,
  {
    sourceNodeLabels: label, targetNodeLabels: label,
    relationshipProperties: CASE WHEN b IS NULL THEN {} ELSE {weight: weight} END
  },
  {undirectedRelationshipTypes: ['*']}
) AS g
