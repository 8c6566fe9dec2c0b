// The header of an unfinished load's journal (one per load key) and the named locks: "loads"
// counts the loads that started or finished (the generation analyses compare), "publish"
// serialises the write-back of analysis results. MERGE on them is safe under concurrency only
// with these constraints.
CREATE CONSTRAINT load_journal_key IF NOT EXISTS FOR (j:LoadJournal) REQUIRE j.load_key IS UNIQUE;
CREATE CONSTRAINT lock_name IF NOT EXISTS FOR (l:Lock) REQUIRE l.name IS UNIQUE;
