// Benchmark only (bench/projections.py): the directed networks of several periods projected
// from the COLLABORATES relationships of $scale that copatent.publish wrote. $periods: [{label, index}]; node
// ids are index * 2^40 + the node's internal id, as in project_arcs_from_patents.
UNWIND $periods AS period
MATCH (s)-[c:COLLABORATES {scale: $scale, period: period.label}]->(t)
WITH period, period.index * 1099511627776 AS base, s, t, c.weight AS weight
UNWIND [[base + id(s), base + id(t), 'ARC'], [base + id(t), base + id(s), 'REVERSED']] AS x
RETURN gds.graph.project(
  $graph_name, x[0], x[1],
  {
    sourceNodeLabels: 'P' + toString(period.index), targetNodeLabels: 'P' + toString(period.index),
    relationshipType: x[2], relationshipProperties: {weight: weight}
  }
) AS g
