// Behind one arc: the patents that make the collaborations $region -> $other of $period at
// $scale, as a graph (the 25 latest patents). The rule of copatent's networks: a patent's first
// applicant (APPLIED position 0) is in $region, another of its applicants is in $other, and its
// application year is in the period; each such pair is one collaboration. Shown: the two
// regions, each applicant's city (and province), the first applicant, the patent and the other
// applicant. At the applicant scale the regions are the applicants themselves.
MATCH (period:Period {label: $period})
MATCH (pa:Position {scale: $scale, period: $period})-[:OF]->(ra)
WHERE $region IN [pa.name, pa.name_en, pa.key]
MATCH (pb:Position {scale: $scale, period: $period})-[:OF]->(rb)
WHERE $other IN [pb.name, pb.name_en, pb.key]
MATCH (p:Patent)
WHERE p.year >= period.start AND p.year <= period.end
MATCH pair = (a0:Applicant)-[:APPLIED {position: 0}]->(p)<-[r:APPLIED]-(aj:Applicant)
WHERE r.position > 0
  AND CASE $scale
    WHEN 'applicant' THEN a0 = ra AND aj = rb
    WHEN 'city' THEN EXISTS { (a0)-[:LOCATED_IN]->(ra) } AND EXISTS { (aj)-[:LOCATED_IN]->(rb) }
    ELSE EXISTS { (a0)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->(ra) }
      AND EXISTS { (aj)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->(rb) }
  END
WITH p, collect(pair) AS pairs, collect(a0) + collect(aj) AS applicants
ORDER BY p.year DESC, p.pub_no
LIMIT 25
CALL {
  WITH applicants
  UNWIND applicants AS applicant
  OPTIONAL MATCH place = (applicant)-[:LOCATED_IN]->()-[:IN_PROVINCE*0..1]->()
  RETURN collect(place) AS places
}
RETURN p.pub_no AS patent, p.year AS year, pairs, places
