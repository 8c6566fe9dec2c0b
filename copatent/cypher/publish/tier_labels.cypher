// Label each Position of scale $scale and the periods in $periods with its weighted-degree tier,
// :Tier1 (lowest) ... :Tier10, so that Neo4j Browser can colour a period's network by tier (it
// styles nodes by label only). A label cannot be a parameter: one line per tier, up to
// copatent.analytics.defaults.MAX_CLASSES (10, the most --classes accepts). A position without a
// tier (fewer distinct values than classes) gets no tier label.
MATCH (pos:Position {scale: $scale})
WHERE pos.period IN $periods AND pos.tier IS NOT NULL
FOREACH (_ IN CASE WHEN pos.tier = 1 THEN [1] ELSE [] END | SET pos:Tier1)
FOREACH (_ IN CASE WHEN pos.tier = 2 THEN [1] ELSE [] END | SET pos:Tier2)
FOREACH (_ IN CASE WHEN pos.tier = 3 THEN [1] ELSE [] END | SET pos:Tier3)
FOREACH (_ IN CASE WHEN pos.tier = 4 THEN [1] ELSE [] END | SET pos:Tier4)
FOREACH (_ IN CASE WHEN pos.tier = 5 THEN [1] ELSE [] END | SET pos:Tier5)
FOREACH (_ IN CASE WHEN pos.tier = 6 THEN [1] ELSE [] END | SET pos:Tier6)
FOREACH (_ IN CASE WHEN pos.tier = 7 THEN [1] ELSE [] END | SET pos:Tier7)
FOREACH (_ IN CASE WHEN pos.tier = 8 THEN [1] ELSE [] END | SET pos:Tier8)
FOREACH (_ IN CASE WHEN pos.tier = 9 THEN [1] ELSE [] END | SET pos:Tier9)
FOREACH (_ IN CASE WHEN pos.tier = 10 THEN [1] ELSE [] END | SET pos:Tier10)
RETURN count(*) AS labelled
