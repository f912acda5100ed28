-- The auditor's desk: validation history queryable without Data Docs, and the DuckLake
-- snapshot each publish left, for reading the lake as it was right after a load.
ALTER TABLE audit.validation_result ADD COLUMN observed_value JSON;
ALTER TABLE audit.validation_result ADD COLUMN unexpected_sample JSON;
ALTER TABLE audit.validation_result ADD COLUMN run_id VARCHAR;
COMMENT ON COLUMN audit.validation_result.observed_value IS 'The value the expectation observed (Great Expectations'' observed_value), as JSON; NULL where the expectation observes no single value.';
COMMENT ON COLUMN audit.validation_result.unexpected_sample IS 'Up to 20 unexpected values (the lines of the rows that broke the rule), as a JSON list; the rows themselves are in audit.quarantine.';
COMMENT ON COLUMN audit.validation_result.run_id IS 'The validation run (Great Expectations run name, load-<load_id>), which names its Data Docs page.';

CREATE TABLE audit.load_snapshot (
    load_id      VARCHAR NOT NULL,
    snapshot_id  BIGINT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.load_snapshot IS 'On DuckLake: the lake snapshot right after each publish, so the lake can be read as it was then (--as-of-load). Empty on the DuckDB-file backend.';
COMMENT ON COLUMN audit.load_snapshot.load_id IS 'The published load (audit.load).';
COMMENT ON COLUMN audit.load_snapshot.snapshot_id IS 'The DuckLake snapshot (version) its publish committed.';
COMMENT ON COLUMN audit.load_snapshot.recorded_at IS 'When it was recorded (UTC).';
