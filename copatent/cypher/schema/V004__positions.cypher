// The analysis results in the graph (docs/graph-model.md): one (:Period) per period label, merged
// by every publish, and one (:Position) per node, scale and period an analysis computed, found by
// (scale, period, key) when the ARC relationships and the blocks are written.
CREATE CONSTRAINT period_label IF NOT EXISTS FOR (p:Period) REQUIRE p.label IS UNIQUE;
CREATE CONSTRAINT position_scale_period_key IF NOT EXISTS FOR (p:Position) REQUIRE (p.scale, p.period, p.key) IS UNIQUE;
