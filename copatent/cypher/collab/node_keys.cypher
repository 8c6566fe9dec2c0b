// The key of projected nodes: a region's adcode, an applicant's name.
UNWIND $ids AS id
WITH id, gds.util.asNode(id) AS n
RETURN id AS nodeId, coalesce(n.adcode, n.name) AS node
