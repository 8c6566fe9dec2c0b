// Every input file the graph knows (`copatent graph sources`): its SHA-256, path, name, size,
// when its bytes were first loaded, the patents it brought and those only it brought (which
// retiring it removes); and the patents no file brought (loaded before copatent kept provenance).
CALL () {
  MATCH (s:Source)
  CALL (s) {
    MATCH (p:Patent)-[:FROM]->(s)
    RETURN count(p) AS patents, count(CASE WHEN COUNT { (p)-[:FROM]->() } = 1 THEN 1 END) AS only
  }
  WITH s, patents, only ORDER BY s.loaded_at, s.path
  RETURN collect(s {.sha256, .path, .resolved, .name, .bytes, loaded_at: toString(s.loaded_at),
                    patents: patents, only: only}) AS sources
}
CALL () {
  MATCH (p:Patent)
  WHERE NOT (p)-[:FROM]->()
  RETURN count(p) AS unsourced
}
RETURN sources, unsourced
