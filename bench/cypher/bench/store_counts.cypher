// How much the loaded graph holds (bench/capacity.py): every node, every relationship, the patents.
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (p:Patent) RETURN count(p) AS patents }
RETURN nodes, relationships, patents
