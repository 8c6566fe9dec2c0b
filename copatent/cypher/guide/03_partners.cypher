// The partners of $region in $period at $scale (type a name, an English name or a code).
// led: arcs the region sends - its applicant was the first applicant, the partner's joined;
// joined: arcs it receives - the partner's applicant was first. weight = collaborations,
// arc_tier = edge tier; partner_a and partner_role = the partner's effective flow A and role.
MATCH (p:Position {scale: $scale, period: $period})
WHERE $region IN [p.name, p.name_en, p.key]
MATCH (p)-[r:ARC]-(q:Position)
RETURN CASE WHEN startNode(r) = p THEN 'led' ELSE 'joined' END AS direction,
       q.name AS partner, q.name_en AS partner_en, r.weight AS weight, r.tier AS arc_tier,
       q.flow_a AS partner_a, q.role AS partner_role
ORDER BY direction DESC, weight DESC, partner
