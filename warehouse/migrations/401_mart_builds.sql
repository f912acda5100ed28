CREATE TABLE audit.mart_build (
    month_date           DATE,
    marts                VARCHAR[] NOT NULL,
    reason               VARCHAR NOT NULL,
    loads_through_at     TIMESTAMPTZ,
    built_at             TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.mart_build IS 'Every rebuild of the monthly marts: which month, why, and up to which finished load it saw.';
COMMENT ON COLUMN audit.mart_build.month_date IS 'Month rebuilt (first day of the local month); NULL for the reference marts (code mapping, indicator list).';
COMMENT ON COLUMN audit.mart_build.marts IS 'Marts rebuilt for that month.';
COMMENT ON COLUMN audit.mart_build.reason IS 'The loads that made the month stale, as dataset:partition.';
COMMENT ON COLUMN audit.mart_build.loads_through_at IS 'finished_at of the newest load the build took into account: loads after it are new data for the next build.';
COMMENT ON COLUMN audit.mart_build.built_at IS 'When the build ran (UTC).';
