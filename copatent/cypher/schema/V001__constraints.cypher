// Keys of the property graph (DESIGN.md, "The graph model"). Idempotent: IF NOT EXISTS.
CREATE CONSTRAINT patent_pub_no IF NOT EXISTS FOR (p:Patent) REQUIRE p.pub_no IS UNIQUE;
CREATE CONSTRAINT applicant_name IF NOT EXISTS FOR (a:Applicant) REQUIRE a.name IS UNIQUE;
CREATE CONSTRAINT city_adcode IF NOT EXISTS FOR (c:City) REQUIRE c.adcode IS UNIQUE;
CREATE CONSTRAINT province_adcode IF NOT EXISTS FOR (p:Province) REQUIRE p.adcode IS UNIQUE;
CREATE CONSTRAINT load_key IF NOT EXISTS FOR (l:Load) REQUIRE l.key IS UNIQUE;
CREATE INDEX patent_year IF NOT EXISTS FOR (p:Patent) ON (p.year);
CREATE INDEX load_batch IF NOT EXISTS FOR (b:LoadBatch) ON (b.load_key, b.batch);
