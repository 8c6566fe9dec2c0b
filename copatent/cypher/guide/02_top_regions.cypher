// The 20 most central regions of $period at $scale, as the study's Table 2 ranks them.
// rank 1 = highest weighted degree (out_strength + in_strength); tier: natural-break tier of
// weighted degree, 1 = lowest. out_strength = collaborations the region led (its applicant was
// first), in_strength = collaborations it joined. flow_a = (out - in) / (out + in): +1 only leads,
// -1 only joins; role = leader (A > 0), participant (A < 0) or balanced.
MATCH (p:Position {scale: $scale, period: $period})
RETURN p.rank AS rank, p.name AS name, p.name_en AS name_en,
       p.weighted_degree AS weighted_degree, p.tier AS tier,
       p.out_strength AS out_strength, p.in_strength AS in_strength,
       p.flow_a AS flow_a, p.role AS role
ORDER BY rank
LIMIT 20
