-- Sealing in two steps (pipelines/audit/chain.py): a writer's transaction appends its
-- records' content hashes to audit.chain_pending; a short transaction after it places
-- them in audit.chain and moves audit.chain_head. Writers on several machines (DuckLake)
-- then never fork the chain: two linkers at once both replace the head row, and the
-- second commit is refused and links again.
CREATE TABLE audit.chain_pending (
    kind             VARCHAR NOT NULL,
    record_key       VARCHAR NOT NULL,
    content_sha256   VARCHAR NOT NULL,
    pended_at        TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.chain_pending IS 'Content hashes of audit records sealed and committed, not yet given their place in audit.chain: empty but for a moment, or after a process was killed between its commit and the link (the next link places them).';
COMMENT ON COLUMN audit.chain_pending.kind IS 'Which record: file, load_event, validation_result, quarantine or mart_build.';
COMMENT ON COLUMN audit.chain_pending.record_key IS 'The record''s key, as in audit.chain.';
COMMENT ON COLUMN audit.chain_pending.content_sha256 IS 'sha256 of the record''s canonical content when it was written.';
COMMENT ON COLUMN audit.chain_pending.pended_at IS 'When it was sealed; the chain places pending hashes in this order.';

CREATE TABLE audit.chain_head (
    seq              BIGINT NOT NULL,
    entry_sha256     VARCHAR NOT NULL,
    moved_at         TIMESTAMPTZ NOT NULL
);
INSERT INTO audit.chain_head
SELECT coalesce(max(seq), 0), coalesce(arg_max(entry_sha256, seq), repeat('0', 64)), now()
FROM audit.chain;
COMMENT ON TABLE audit.chain_head IS 'One row: the last entry of audit.chain. Every link replaces it, so two writers linking at once conflict and the second links again; `audit verify` checks the chain ends where its head says.';
COMMENT ON COLUMN audit.chain_head.seq IS 'seq of the chain''s last entry (0: empty chain).';
COMMENT ON COLUMN audit.chain_head.entry_sha256 IS 'entry_sha256 of that entry (64 zeros: empty chain).';
COMMENT ON COLUMN audit.chain_head.moved_at IS 'When the head last moved.';

-- 500 added three columns to audit.validation_result, which changed the canonical content
-- of every batch sealed before it. A batch whose content without those columns is still
-- the content sealed is sealed again as it is now; one altered before this migration is
-- not, so `audit verify` still names it.
INSERT INTO audit.chain_pending
WITH latest AS (
    SELECT record_key, content_sha256 FROM audit.chain WHERE kind = 'validation_result'
    QUALIFY row_number() OVER (PARTITION BY record_key ORDER BY seq DESC) = 1
),
before_500 AS (
    SELECT t.load_id AS record_key,
           sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY CAST(to_json(t) AS VARCHAR))) AS content_sha256
    FROM (SELECT load_id, suite, expectation_type, kwargs, rule, success, element_count,
                 unexpected_count, validated_at FROM audit.validation_result) AS t
    GROUP BY 1
),
now_ AS (
    SELECT t.load_id AS record_key,
           sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY CAST(to_json(t) AS VARCHAR))) AS content_sha256
    FROM audit.validation_result AS t GROUP BY 1
)
SELECT 'validation_result', n.record_key, n.content_sha256, now()
FROM now_ AS n JOIN before_500 AS b USING (record_key) JOIN latest AS l USING (record_key)
WHERE b.content_sha256 = l.content_sha256 AND n.content_sha256 <> l.content_sha256;
