// Undirected copies of several periods' networks in one GDS graph: one edge per linked pair with
// the reciprocal weights summed (W + W^T), the view of Louvain and the local clustering
// coefficient. $copies = [{label, first, n, low, high, weight}]: copy `label` ("P0R3": period 0,
// run 3) numbers its n nodes first .. first + n - 1, listed in that order (GDS numbers them in it
// and Louvain visits them in it), and its pairs are the columns low, high, weight (node ids);
// the algorithms pick a copy with nodeLabels. Columns, not a row a pair: ten copies of an
// applicant network are millions of pairs, and lists of numbers cost far less to send.
CALL () {
  UNWIND $copies AS copy
  UNWIND range(copy.first, copy.first + copy.n - 1) AS a
  RETURN a, null AS b, null AS weight, copy.label AS label
  UNION ALL
  UNWIND $copies AS copy
  UNWIND range(0, size(copy.low) - 1) AS i
  RETURN copy.low[i] AS a, copy.high[i] AS b, copy.weight[i] AS weight, copy.label AS label
}
RETURN gds.graph.project(
  $graph_name, a, b,
  {
    sourceNodeLabels: label, targetNodeLabels: label,
    relationshipProperties: CASE WHEN b IS NULL THEN {} ELSE {weight: weight} END
  },
  {undirectedRelationshipTypes: ['*']}
) AS g
