// The subgroups of $period at $scale by $method: each block with its size and its members,
// the most central first. concor is what `copatent report` writes (its --partition);
// `copatent subgroups` writes concor, louvain and leiden; a later analyze or detect of the
// period writes new positions without blocks.
// core = the member of highest weighted degree, the region the study says a block is
// "centred around".
MATCH (p:Position {scale: $scale, period: $period})
WHERE p[$method] IS NOT NULL
WITH p[$method] AS block, p
ORDER BY p.weighted_degree DESC, p.key
WITH block, collect(p.name) AS members
RETURN block, size(members) AS size, members[0] AS core, members
ORDER BY block
