// One period's network at one scale as an undirected graph, one edge per linked pair with the
// reciprocal weights summed (W + W^T): the view of Louvain and the local clustering coefficient.
// The nodes come first, in the order of $node_ids (element ids): GDS numbers them in that order
// and Louvain visits them in it, so a seeded shuffle of $node_ids is a seeded Louvain run.
CALL () {
  UNWIND $node_ids AS id
  MATCH (n) WHERE elementId(n) = id
  RETURN n AS a, null AS b, null AS weight
  UNION ALL
  MATCH (s)-[r:COLLABORATES {scale: $scale, period: $period}]->(t)
  WITH CASE WHEN elementId(s) < elementId(t) THEN [s, t] ELSE [t, s] END AS pair, r.weight AS w
  RETURN pair[0] AS a, pair[1] AS b, sum(w) AS weight
}
RETURN gds.graph.project(
  $graph_name, a, b,
  CASE WHEN b IS NULL THEN {} ELSE {relationshipProperties: {weight: weight}} END,
  {undirectedRelationshipTypes: ['*']}
) AS g
