-- Schemas and the audit trail every load writes. No PRIMARY KEY or sequences:
-- the same DDL must run on DuckLake, which supports neither.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE audit.file (
    sha256          VARCHAR NOT NULL,
    bytes           BIGINT NOT NULL,
    archive_path    VARCHAR NOT NULL,
    first_name      VARCHAR NOT NULL,
    first_seen_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.file IS 'Every distinct file (or API page) received, archived byte-for-byte under its sha256.';
COMMENT ON COLUMN audit.file.sha256 IS 'SHA-256 of the bytes as delivered; identifies the delivery.';
COMMENT ON COLUMN audit.file.bytes IS 'Size of the delivery in bytes.';
COMMENT ON COLUMN audit.file.archive_path IS 'Where the archived copy lies, relative to KONEKTIVITAS_HOME.';
COMMENT ON COLUMN audit.file.first_name IS 'The landing-zone path under which these bytes first arrived.';
COMMENT ON COLUMN audit.file.first_seen_at IS 'When these bytes were first archived (UTC).';

CREATE TABLE audit.load (
    load_id           VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    dataset           VARCHAR NOT NULL,
    partition_key     VARCHAR NOT NULL,
    sha256            VARCHAR,
    file_name         VARCHAR,
    status            VARCHAR NOT NULL,
    rows_read         BIGINT,
    rows_published    BIGINT,
    rows_quarantined  BIGINT,
    message           VARCHAR,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ
);
COMMENT ON TABLE audit.load IS 'One row per attempt to load one file into one dataset partition; rows_read = rows_published + rows_quarantined once published.';
COMMENT ON COLUMN audit.load.load_id IS 'Identifier carried by every staged, published and quarantined row of this load.';
COMMENT ON COLUMN audit.load.source IS 'Source family: registry, towers or pln.';
COMMENT ON COLUMN audit.load.dataset IS 'Dataset name; also the name of its expectation suite.';
COMMENT ON COLUMN audit.load.partition_key IS 'The partition this load replaces (a local date, a month, an edition date).';
COMMENT ON COLUMN audit.load.sha256 IS 'SHA-256 of the file loaded (see audit.file).';
COMMENT ON COLUMN audit.load.file_name IS 'Landing-zone path of the file, relative to KONEKTIVITAS_HOME.';
COMMENT ON COLUMN audit.load.status IS 'running, published, rejected (whole file refused), failed, duplicate (same bytes already published), superseded (replaced by a corrected file) or abandoned (an earlier attempt that never finished).';
COMMENT ON COLUMN audit.load.rows_read IS 'Data rows read from the file.';
COMMENT ON COLUMN audit.load.rows_published IS 'Rows written to core.';
COMMENT ON COLUMN audit.load.rows_quarantined IS 'Rows refused, each in audit.quarantine with its reasons.';
COMMENT ON COLUMN audit.load.message IS 'Why a load was rejected, failed or skipped.';
COMMENT ON COLUMN audit.load.started_at IS 'When the load started (UTC).';
COMMENT ON COLUMN audit.load.finished_at IS 'When the load reached its final status (UTC).';

CREATE TABLE audit.validation_result (
    load_id            VARCHAR NOT NULL,
    suite              VARCHAR NOT NULL,
    expectation_type   VARCHAR NOT NULL,
    kwargs             JSON NOT NULL,
    rule               VARCHAR NOT NULL,
    success            BOOLEAN NOT NULL,
    element_count      BIGINT NOT NULL,
    unexpected_count   BIGINT NOT NULL,
    validated_at       TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.validation_result IS 'One row per expectation evaluated on a load: the same results Data Docs shows.';
COMMENT ON COLUMN audit.validation_result.load_id IS 'The load validated.';
COMMENT ON COLUMN audit.validation_result.suite IS 'Expectation suite (file expectations/<suite>.json).';
COMMENT ON COLUMN audit.validation_result.expectation_type IS 'Great Expectations expectation type.';
COMMENT ON COLUMN audit.validation_result.kwargs IS 'The expectation''s arguments.';
COMMENT ON COLUMN audit.validation_result.rule IS 'The rule in words, as quarantine reasons cite it.';
COMMENT ON COLUMN audit.validation_result.success IS 'Whether the batch met the expectation.';
COMMENT ON COLUMN audit.validation_result.element_count IS 'Rows evaluated.';
COMMENT ON COLUMN audit.validation_result.unexpected_count IS 'Rows that broke the rule.';
COMMENT ON COLUMN audit.validation_result.validated_at IS 'When the validation ran (UTC).';

CREATE TABLE audit.quarantine (
    load_id         VARCHAR NOT NULL,
    dataset         VARCHAR NOT NULL,
    record_no       BIGINT NOT NULL,
    reasons         VARCHAR[] NOT NULL,
    record          JSON NOT NULL,
    quarantined_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.quarantine IS 'Rows refused by validation, one per source record, with every rule it broke.';
COMMENT ON COLUMN audit.quarantine.load_id IS 'The load the row came in.';
COMMENT ON COLUMN audit.quarantine.dataset IS 'Dataset (and suite) name.';
COMMENT ON COLUMN audit.quarantine.record_no IS 'Line number in the file (header is line 1), or record number for API pages and spreadsheets.';
COMMENT ON COLUMN audit.quarantine.reasons IS 'The rules the row broke, in words.';
COMMENT ON COLUMN audit.quarantine.record IS 'The row as staged, for inspection.';
COMMENT ON COLUMN audit.quarantine.quarantined_at IS 'When the row was quarantined (UTC).';
