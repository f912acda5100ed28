CREATE TABLE audit.mart_build_load (
    load_id              VARCHAR NOT NULL,
    built_at             TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.mart_build_load IS 'Every load a marts build has taken into account. A load not listed is new data for the next build, whenever it committed: with several workers a load that started earlier may commit later, so a finished_at watermark alone would miss it.';
COMMENT ON COLUMN audit.mart_build_load.load_id IS 'The load (audit.load) the build saw.';
COMMENT ON COLUMN audit.mart_build_load.built_at IS 'When that build ran (UTC).';
-- Loads before the last build's watermark were taken into account by it.
INSERT INTO audit.mart_build_load
SELECT load_id, now() FROM audit.load
WHERE finished_at IS NOT NULL
  AND finished_at <= (SELECT max(loads_through_at) FROM audit.mart_build);
