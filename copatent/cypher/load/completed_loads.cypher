// Every completed load: its key (SHA-256 of the inputs and options), files, patents, funnel (JSON)
// and options (JSON), oldest first; and the generation of the "loads" lock.
OPTIONAL MATCH (lock:Lock {name: 'loads'})
WITH coalesce(lock.generation, 0) AS generation
OPTIONAL MATCH (l:Load)
WITH generation, l ORDER BY l.completed_at
RETURN generation,
       [x IN collect(l) | {key: x.key, files: x.files, patents: x.patents, funnel: x.funnel,
        options: x.options, completed_at: toString(x.completed_at)}] AS loads
