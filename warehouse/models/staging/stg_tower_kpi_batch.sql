-- One KPI load as validation sees it: its rows in core.fct_tower_kpi_5min_landed (in the
-- file's order, from rowid `first_rowid`: the record's line is its position + 2, the header
-- being line 1), where each timestamp falls in the file's day, and what the inventory in
-- force says of each tower. A view: nothing is written to add these; the join's build side
-- is the day's towers only.
{%- from 'macros/kpi_slots.sql' import us_into_day %}
WITH towers AS (
    SELECT tower_id, row_number() OVER (ORDER BY tower_id) AS tower_no
    FROM core.dim_tower
    WHERE valid_from <= DATE '{{ day }}' AND (valid_to IS NULL OR valid_to > DATE '{{ day }}')
),
landed AS (
    -- INTEGER keys (lines, slot_key): the duplicate rule sorts every row on both, and two
    -- 4-byte keys sort ~20 % faster than two 8-byte ones.
    SELECT CAST(rowid - {{ first_rowid }} + 2 AS INTEGER) AS _line, *,
           {{ us_into_day('measured_at', day) }} AS us_into_day
    FROM core.fct_tower_kpi_5min_landed
    WHERE kpi_date = DATE '{{ day }}' AND load_id = '{{ load_id }}'
)
SELECT
    r._line,
    r.load_id,
    r.tower_id,
    r.measured_at,
    r.status,
    r.availability_pct,
    r.latency_ms,
    r.packet_loss_pct,
    r.throughput_mbps,
    r.active_users,
    r.rssi_dbm,
    r.power_source,
    r.battery_v,
    r.us_into_day % 300000000 AS grid_offset_us,
    CAST(floor(r.us_into_day / 86400000000.0) AS INTEGER) AS days_from_file_day,
    r.slot,
    r._cast_errors,
    CASE WHEN r.tower_id IS NOT NULL THEN t.tower_no IS NOT NULL END AS tower_in_inventory,
    -- (tower, slot) as one exact integer for the duplicate rule; NULL when the row is
    -- quarantined for its tower or its ts anyway
    CAST(t.tower_no * 288 + r.slot AS INTEGER) AS slot_key
FROM landed AS r
LEFT JOIN towers AS t ON t.tower_id = r.tower_id
