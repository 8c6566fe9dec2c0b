// Delete up to $limit nodes with their relationships (copatent run --rebuild empties the
// database batch by batch, so that no single transaction holds the whole graph).
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
