-- Append-only, hash-chained audit records (pipelines/audit/chain.py). A load's state
-- changes become appended events and audit.load the view of each load's latest one; every
-- audit record (file, load event, a load's validation results, a load's quarantine batch,
-- mart build) gets a chain entry. Rows already there are converted and chained in the
-- order they were written. No sequence or PRIMARY KEY: DuckLake has neither.
CREATE TABLE audit.load_event (
    event_no          BIGINT NOT NULL,
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
INSERT INTO audit.load_event
SELECT row_number() OVER (ORDER BY coalesce(finished_at, started_at), started_at, load_id), *
FROM audit.load;
DROP TABLE audit.load;
CREATE VIEW audit.load AS
SELECT load_id, source, dataset, partition_key, sha256, file_name, status, rows_read,
       rows_published, rows_quarantined, message, started_at, finished_at
FROM audit.load_event
QUALIFY row_number() OVER (PARTITION BY load_id ORDER BY event_no DESC) = 1;
COMMENT ON VIEW audit.load IS 'One row per attempt to load one file into one dataset partition, in its latest state (the newest of its audit.load_event rows); rows_read = rows_published + rows_quarantined once published.';
COMMENT ON TABLE audit.load_event IS 'Append-only history of every load''s state: each change (started, rows read, published, superseded, rejected, abandoned) appends the load''s whole new state. audit.load shows the latest.';
COMMENT ON COLUMN audit.load_event.event_no IS 'Order of the event among all load events (1, 2, ...); the highest of a load is its current state.';
COMMENT ON COLUMN audit.load_event.load_id IS 'Identifier carried by every staged, published and quarantined row of this load.';
COMMENT ON COLUMN audit.load_event.source IS 'Source family: registry, towers or pln.';
COMMENT ON COLUMN audit.load_event.dataset IS 'Dataset name; also the name of its expectation suite.';
COMMENT ON COLUMN audit.load_event.partition_key IS 'The partition this load replaces (a local date, a month, an edition date).';
COMMENT ON COLUMN audit.load_event.sha256 IS 'SHA-256 of the file loaded (see audit.file).';
COMMENT ON COLUMN audit.load_event.file_name IS 'Landing-zone path of the file, relative to KONEKTIVITAS_HOME.';
COMMENT ON COLUMN audit.load_event.status IS 'running, published, rejected (whole file refused), failed, duplicate (same bytes already published), superseded (replaced by a corrected file) or abandoned (an earlier attempt that never finished).';
COMMENT ON COLUMN audit.load_event.rows_read IS 'Data rows read from the file.';
COMMENT ON COLUMN audit.load_event.rows_published IS 'Rows written to core.';
COMMENT ON COLUMN audit.load_event.rows_quarantined IS 'Rows refused, each in audit.quarantine with its reasons.';
COMMENT ON COLUMN audit.load_event.message IS 'Why a load was rejected, failed or skipped.';
COMMENT ON COLUMN audit.load_event.started_at IS 'When the load started (UTC).';
COMMENT ON COLUMN audit.load_event.finished_at IS 'When the load reached its final status (UTC).';

CREATE TABLE audit.chain (
    seq              BIGINT NOT NULL,
    kind             VARCHAR NOT NULL,
    record_key       VARCHAR NOT NULL,
    content_sha256   VARCHAR NOT NULL,
    prev_sha256      VARCHAR NOT NULL,
    entry_sha256     VARCHAR NOT NULL,
    sealed_at        TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.chain IS 'The hash chain over the audit records, append-only: one entry per record (file, load_event, mart_build) or per load''s batch (validation_result, quarantine), in the order written. `konektivitas audit verify` walks it.';
COMMENT ON COLUMN audit.chain.seq IS 'Position in the chain: 1, 2, ... without gaps.';
COMMENT ON COLUMN audit.chain.kind IS 'Which record: file, load_event, validation_result, quarantine or mart_build.';
COMMENT ON COLUMN audit.chain.record_key IS 'The record''s key: a file''s sha256, load_id#event_no, a load_id (its batch), or month@built_at.';
COMMENT ON COLUMN audit.chain.content_sha256 IS 'SHA-256 of the record''s canonical content: its row as JSON (a batch: its rows'' JSON, one per line, in a fixed order).';
COMMENT ON COLUMN audit.chain.prev_sha256 IS 'entry_sha256 of the entry before (64 zeros for the first).';
COMMENT ON COLUMN audit.chain.entry_sha256 IS 'SHA-256 of seq, kind, record_key, content_sha256 and prev_sha256, one per line.';
COMMENT ON COLUMN audit.chain.sealed_at IS 'When the entry was appended (UTC).';

-- The records already written, in the order they were written, chained one by one.
INSERT INTO audit.chain
WITH RECURSIVE records AS (
    SELECT row_number() OVER (ORDER BY written_at, ord, record_key) AS seq, *
    FROM (
        SELECT 1 AS ord, 'file' AS kind, t.sha256 AS record_key, first_seen_at AS written_at,
               sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY CAST(to_json(t) AS VARCHAR))) AS content_sha256
        FROM audit.file AS t GROUP BY ALL
        UNION ALL
        SELECT 2, 'load_event', t.load_id || '#' || t.event_no, coalesce(finished_at, started_at),
               sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY CAST(to_json(t) AS VARCHAR)))
        FROM audit.load_event AS t GROUP BY ALL
        UNION ALL
        SELECT 3, 'validation_result', t.load_id, max(validated_at),
               sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY CAST(to_json(t) AS VARCHAR)))
        FROM audit.validation_result AS t GROUP BY t.load_id
        UNION ALL
        SELECT 4, 'quarantine', t.load_id, max(quarantined_at),
               sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY t.record_no, CAST(to_json(t) AS VARCHAR)))
        FROM audit.quarantine AS t GROUP BY t.load_id
        UNION ALL
        SELECT 5, 'mart_build', coalesce(CAST(t.month_date AS VARCHAR), 'whole') || '@' || CAST(t.built_at AS VARCHAR), max(built_at),
               sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY CAST(to_json(t) AS VARCHAR)))
        FROM audit.mart_build AS t GROUP BY 3
    )
),
walk AS (
    SELECT seq, kind, record_key, content_sha256, repeat('0', 64) AS prev_sha256,
           sha256(seq || chr(10) || kind || chr(10) || record_key || chr(10) || content_sha256
                  || chr(10) || repeat('0', 64)) AS entry_sha256
    FROM records WHERE seq = 1
    UNION ALL
    SELECT r.seq, r.kind, r.record_key, r.content_sha256, w.entry_sha256,
           sha256(r.seq || chr(10) || r.kind || chr(10) || r.record_key || chr(10)
                  || r.content_sha256 || chr(10) || w.entry_sha256)
    FROM records AS r JOIN walk AS w ON r.seq = w.seq + 1
)
SELECT seq, kind, record_key, content_sha256, prev_sha256, entry_sha256, now() FROM walk;
