// A completed load with this key, if any.
MATCH (l:Load {key: $load_key})
RETURN l.key AS key, l.completed_at AS completed_at
