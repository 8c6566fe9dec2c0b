// Create one (:Position) per city and period an analysis computed, from $rows:
// [{period, key, properties}] where properties holds every column of the period's centrality and
// flow tables (docs/graph-model.md), with (pos)-[:OF]->(:City {adcode: key}) and
// (pos)-[:IN]->(:Period {label: period}). Runs after publish/delete_positions and
// publish/merge_periods in the same transaction. A position whose City is no longer in the
// graph keeps no OF relationship.
UNWIND $rows AS row
MATCH (period:Period {label: row.period})
OPTIONAL MATCH (region:City {adcode: row.key})
CREATE (pos:Position)-[:IN]->(period)
SET pos = row.properties
FOREACH (r IN CASE WHEN region IS NULL THEN [] ELSE [region] END | CREATE (pos)-[:OF]->(r))
RETURN count(*) AS created, count(region) AS placed
