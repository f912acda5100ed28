-- Write, audit, publish for the KPI samples: the file is parsed once, straight into
-- core.fct_tower_kpi_5min_landed (towers.land_kpi); validation reads the landed rows; the
-- publish transaction deletes the quarantined rows and the day's previous rows and marks
-- the load published. core.fct_tower_kpi_5min shows the rows of published loads only, so
-- nobody sees a day half-loaded or a quarantined row, even if a load dies midway.
-- Why: a staging table then a copy into core wrote ten million rows twice, which cost
-- more than the bare load of the file; and deleting rows inside the transaction that
-- inserted them makes DuckDB rewrite the whole insert at commit.
ALTER TABLE core.fct_tower_kpi_5min RENAME TO fct_tower_kpi_5min_landed;
-- Rows about to be quarantined land too: a required value may be missing there.
ALTER TABLE core.fct_tower_kpi_5min_landed ALTER COLUMN tower_id DROP NOT NULL;
ALTER TABLE core.fct_tower_kpi_5min_landed ALTER COLUMN measured_at DROP NOT NULL;
ALTER TABLE core.fct_tower_kpi_5min_landed ALTER COLUMN slot DROP NOT NULL;
ALTER TABLE core.fct_tower_kpi_5min_landed ALTER COLUMN status DROP NOT NULL;
-- A line number would need a numbering pass over every row; a published sample is found in
-- its archived file by (tower_id, measured_at), unique within a load.
ALTER TABLE core.fct_tower_kpi_5min_landed DROP COLUMN line_no;
ALTER TABLE core.fct_tower_kpi_5min_landed ADD COLUMN _cast_errors VARCHAR;
ALTER TABLE core.fct_tower_kpi_5min_landed ADD COLUMN _flagged BOOLEAN;
COMMENT ON TABLE core.fct_tower_kpi_5min_landed IS 'Five-minute KPI samples as landed by their load, published or not: read core.fct_tower_kpi_5min, which shows the published ones. Partitioned by kpi_date.';
COMMENT ON COLUMN core.fct_tower_kpi_5min_landed.load_id IS 'Load that landed the row (audit.load); the row is published when that load is.';
COMMENT ON COLUMN core.fct_tower_kpi_5min_landed._cast_errors IS 'Load-time only: the text of values that failed to parse. Such rows are quarantined; NULL on every published row.';
COMMENT ON COLUMN core.fct_tower_kpi_5min_landed._flagged IS 'Load-time only: the row broke a rule of expectations/tower_kpi.json that reads the row alone. Such rows are quarantined; FALSE on every published row.';
CREATE VIEW core.fct_tower_kpi_5min AS
SELECT kpi_date, tower_id, measured_at, slot, status, availability_pct, latency_ms,
       packet_loss_pct, throughput_mbps, active_users, rssi_dbm, power_source, battery_v,
       load_id
FROM core.fct_tower_kpi_5min_landed
WHERE load_id IN (SELECT load_id FROM audit.load WHERE dataset = 'tower_kpi' AND status = 'published');
COMMENT ON VIEW core.fct_tower_kpi_5min IS 'Five-minute KPI samples, one row per tower per slot that has a valid sample; missing slots stay missing (gaps). The published rows of core.fct_tower_kpi_5min_landed, whose columns document these. A day is replaced whole.';
