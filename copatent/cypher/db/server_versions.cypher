// Versions of the server and of the Graph Data Science library; fails if GDS is not installed.
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
RETURN versions[0] AS neo4j, edition, gds.version() AS gds
