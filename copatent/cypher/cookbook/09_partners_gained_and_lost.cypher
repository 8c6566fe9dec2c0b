// The partners of $region at $scale in $period against the period before it: kept (tied in
// both), gained (new in $period) and lost (tied before, not in $period), with the collaborations
// in each period (both directions summed).
MATCH (now:Period {label: $period})
MATCH (before:Period)
WHERE before.end = now.start - 1
UNWIND [before, now] AS period
MATCH (p:Position {scale: $scale, period: period.label})-[r:ARC]-(q:Position)
WHERE $region IN [p.name, p.name_en, p.key]
WITH q.key AS key, q.name AS partner,
     sum(CASE WHEN period = before THEN r.weight ELSE 0 END) AS weight_before,
     sum(CASE WHEN period = now THEN r.weight ELSE 0 END) AS weight_now
RETURN partner,
       CASE WHEN weight_before > 0 AND weight_now > 0 THEN 'kept'
            WHEN weight_now > 0 THEN 'gained' ELSE 'lost' END AS status,
       weight_before, weight_now
ORDER BY status, weight_now DESC, weight_before DESC, partner
