CREATE TABLE audit.warehouse_commit (
    dataset              VARCHAR NOT NULL,
    partition_key        VARCHAR NOT NULL,
    load_id              VARCHAR,
    attempt              INTEGER NOT NULL,
    outcome              VARCHAR NOT NULL,
    message              VARCHAR,
    hostname             VARCHAR NOT NULL,
    pid                  INTEGER NOT NULL,
    started_at           TIMESTAMPTZ NOT NULL,
    finished_at          TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.warehouse_commit IS 'Every attempt to commit a publish or a mart build: who (host, process), when, and whether it committed or met a concurrent writer and was retried.';
COMMENT ON COLUMN audit.warehouse_commit.dataset IS 'The dataset published, or marts:<partition> for a mart build.';
COMMENT ON COLUMN audit.warehouse_commit.partition_key IS 'The partition written (a day, a month, an edition date; whole for a whole table).';
COMMENT ON COLUMN audit.warehouse_commit.load_id IS 'The load published (audit.load); NULL for a mart build.';
COMMENT ON COLUMN audit.warehouse_commit.attempt IS 'Attempt number, from 1; bounded by KONEKTIVITAS_COMMIT_RETRIES + 1.';
COMMENT ON COLUMN audit.warehouse_commit.outcome IS 'committed; conflict (another writer held the partition or committed a conflicting change first: retried); failed (the last attempt met a conflict: nothing published).';
COMMENT ON COLUMN audit.warehouse_commit.message IS 'For a conflict, what it was.';
COMMENT ON COLUMN audit.warehouse_commit.hostname IS 'The host (Celery worker) that wrote.';
COMMENT ON COLUMN audit.warehouse_commit.pid IS 'The writing process.';
COMMENT ON COLUMN audit.warehouse_commit.started_at IS 'When the attempt began (UTC), before its transaction.';
COMMENT ON COLUMN audit.warehouse_commit.finished_at IS 'When the attempt ended (UTC): after COMMIT, or after the rollback of a conflict.';
