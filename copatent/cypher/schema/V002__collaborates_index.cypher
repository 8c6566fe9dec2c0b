// The derived COLLABORATES relationships are found by scale and period (projections, rebuilds).
CREATE INDEX collaborates_scale_period IF NOT EXISTS FOR ()-[r:COLLABORATES]-() ON (r.scale, r.period);
