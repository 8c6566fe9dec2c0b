// How the applicants were placed (geocode: places, columns, address, gazetteer, name) and how many
// are unplaced, with the patents of each group and one example of what decided (the evidence);
// `copatent places unplaced` ranks the unplaced by the collaborations they carry.
MATCH (a:Applicant)
WITH coalesce(a.geocode, "unplaced") AS method, a, COUNT { (a)-[:APPLIED]->() } AS patents
RETURN method, count(a) AS applicants, sum(patents) AS patents,
       head(collect(a.name + CASE WHEN a.geocode_evidence IS NULL THEN ""
                                  ELSE ": " + a.geocode_evidence END)) AS example
ORDER BY applicants DESC, method
