// Number of nodes in the database (a --bulk load needs an empty one).
MATCH (n)
RETURN count(n) AS nodes
