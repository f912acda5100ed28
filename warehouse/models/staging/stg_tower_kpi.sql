-- Typed KPI samples of one file (SOURCES.md 2b), in the single pass that reads the file.
-- Values arrive as text, so a bad value becomes a quarantined row, never a failed file:
-- each failed cast is named, with its text, in _cast_errors. The caller sets the session
-- TimeZone to WITA while this runs, so a ts without offset is read as WITA.
-- Derived columns carry the rules that need the file's day or the inventory; the
-- rules themselves are in expectations/tower_kpi.json.
{%- set numeric = [
    ("availability_pct", "DOUBLE"), ("latency_ms", "DOUBLE"), ("packet_loss_pct", "DOUBLE"),
    ("throughput_mbps", "DOUBLE"), ("active_users", "INTEGER"), ("rssi_dbm", "DOUBLE"),
    ("battery_v", "DOUBLE"),
] %}
WITH towers AS (
    -- The inventory snapshot in force on the day, numbered to make an exact integer slot key.
    SELECT tower_id, row_number() OVER (ORDER BY tower_id) AS tower_no
    FROM core.dim_tower
    WHERE valid_from <= DATE '{{ day }}' AND (valid_to IS NULL OR valid_to > DATE '{{ day }}')
),
typed AS (
    SELECT
        r._line,
        r.tower_id,
        r.ts,
        r.status,
        r.power_source,
        TRY_CAST(r.ts AS TIMESTAMPTZ) AS measured_at,
        {%- for col, type in numeric %}
        r.{{ col }} AS {{ col }}_text,
        TRY_CAST({% if decimal_comma %}replace(r.{{ col }}, ',', '.'){% else %}r.{{ col }}{% endif %} AS {{ type }}) AS {{ col }},
        {%- endfor %}
        t.tower_no
    -- numbered before the join, which does not keep the file's order
    FROM (SELECT row_number() OVER () + 1 AS _line, * FROM {{ source }}) AS r
    LEFT JOIN towers AS t ON t.tower_id = r.tower_id
),
placed AS (
    SELECT *,
           -- microseconds since local midnight of the file's day
           epoch_us(measured_at) - epoch_us(TIMESTAMPTZ '{{ day }} 00:00:00+08:00') AS us_into_day
    FROM typed
)
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    tower_id,
    ts,
    measured_at,
    status,
    {%- for col, type in numeric %}
    {{ col }},
    {%- endfor %}
    power_source,
    CASE WHEN tower_id IS NOT NULL THEN tower_no IS NOT NULL END AS tower_in_inventory,
    us_into_day % 300000000 AS grid_offset_us,
    CAST(floor(us_into_day / 86400000000.0) AS INTEGER) AS days_from_file_day,
    CASE WHEN us_into_day >= 0 AND us_into_day < 86400000000 AND us_into_day % 300000000 = 0
         THEN CAST(us_into_day // 300000000 AS SMALLINT) END AS slot,
    -- (tower, slot) as one exact integer: rows without it are quarantined for another reason
    CASE WHEN tower_no IS NOT NULL AND us_into_day >= 0 AND us_into_day < 86400000000
              AND us_into_day % 300000000 = 0
         THEN tower_no * 288 + us_into_day // 300000000 END AS slot_key,
    nullif(concat_ws(', ',
        CASE WHEN ts IS NOT NULL AND measured_at IS NULL THEN 'ts=' || ts END
        {%- for col, type in numeric %},
        CASE WHEN {{ col }}_text IS NOT NULL AND {{ col }} IS NULL THEN '{{ col }}=' || {{ col }}_text END
        {%- endfor %}
    ), '') AS _cast_errors
FROM placed
