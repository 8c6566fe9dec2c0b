// The subgroups of $period at $scale by $method (concor, louvain or leiden; run `copatent
// subgroups` first): each block with its size and its members, the most central first.
// core = the member of highest weighted degree, the region the study says a block is
// "centred around".
MATCH (p:Position {scale: $scale, period: $period})
WHERE p[$method] IS NOT NULL
WITH p[$method] AS block, p
ORDER BY p.weighted_degree DESC, p.key
WITH block, collect(p.name) AS members
RETURN block, size(members) AS size, members[0] AS core, members
ORDER BY block
