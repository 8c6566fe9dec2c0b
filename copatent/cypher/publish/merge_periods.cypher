// One (:Period {label, start, end}) per period in $periods: [{label, start, end}] (inclusive
// application years). Merged by label (unique by constraint), never deleted: the positions and
// COLLABORATES relationships of a period refer to it by label.
UNWIND $periods AS period
MERGE (p:Period {label: period.label})
SET p.start = period.start, p.end = period.end
RETURN count(*) AS periods
