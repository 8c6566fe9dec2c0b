// Provinces and cities, each city in its province. Municipalities are both (same adcode).
UNWIND $provinces AS row
MERGE (p:Province {adcode: row.adcode})
SET p.name = row.name
WITH count(*) AS provinces
UNWIND $cities AS row
MERGE (c:City {adcode: row.adcode})
SET c.name = row.name, c.lat = row.lat, c.lon = row.lon
WITH c, row
MATCH (p:Province {adcode: row.province_adcode})
MERGE (c)-[:IN_PROVINCE]->(p)
