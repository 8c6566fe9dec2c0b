// Benchmark only (bench/projections.py): the directed networks of several periods projected
// straight from the patents, the first-applicant rule aggregated inside the projection query.
// $periods: [{label, start, end, index}]; node ids are index * 2^40 + the node's internal id, so
// that each period's nodes are apart, as the engine's own projection numbers them.
UNWIND $periods AS period
MATCH (p:Patent)
WHERE p.year >= period.start AND p.year <= period.end
MATCH (a0:Applicant)-[:APPLIED {position: 0}]->(p)<-[r:APPLIED]-(aj:Applicant)
WHERE r.position > 0
MATCH (a0)-[:LOCATED_IN]->(s:City)
MATCH (aj)-[:LOCATED_IN]->(t:City)
WITH period, s, t, count(*) AS weight
WHERE s <> t
WITH period, period.index * 1099511627776 AS base, s, t, weight
UNWIND [[base + id(s), base + id(t), 'ARC'], [base + id(t), base + id(s), 'REVERSED']] AS x
RETURN gds.graph.project(
  $graph_name, x[0], x[1],
  {
    sourceNodeLabels: 'P' + toString(period.index), targetNodeLabels: 'P' + toString(period.index),
    relationshipType: x[2], relationshipProperties: {weight: weight}
  }
) AS g
