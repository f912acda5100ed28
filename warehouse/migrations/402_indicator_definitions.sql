-- Indicators are defined once, in warehouse/indicators.yml: the mart engine writes
-- marts.indicator_metadata and every indicator column's comment from it, overwriting the
-- comments that 200 and 400 wrote. The published precision is part of the definition.
ALTER TABLE marts.indicator_metadata ADD COLUMN decimals INTEGER;
COMMENT ON COLUMN marts.indicator_metadata.decimals IS 'Published precision: decimals that exports and the report round the indicator to (the warehouse keeps full precision); NULL for true/false values.';
COMMENT ON TABLE marts.indicator_metadata IS 'One row per published indicator, from its one definition (warehouse/indicators.yml): what it means, how it is computed, its published precision, and the thresholds in force when the marts were built.';
COMMENT ON COLUMN audit.mart_build.month_date IS 'Month rebuilt (first day of the local month); NULL for the whole marts (code mapping, indicator list, village counts, partner SLA).';
