-- Typed KPI samples of one file (docs/sources.md 2b), in the single pass that reads the file.
-- Values arrive as text, so a bad value becomes a quarantined row, never a failed file:
-- each failed cast is named, with its text, in _cast_errors. A ts without offset is WITA.
-- Nothing here may reorder rows (no join, no window): the rows land in core in the file's
-- order, and their rowid is the record's position, which stg_tower_kpi_batch turns into
-- its line number.
{%- from 'macros/kpi_slots.sql' import us_into_day %}
{%- from 'macros/parsing.sql' import cast_errors, decimal_number, local_timestamp %}
{%- set numeric = [
    ("availability_pct", "DOUBLE"), ("latency_ms", "DOUBLE"), ("packet_loss_pct", "DOUBLE"),
    ("throughput_mbps", "DOUBLE"), ("active_users", "INTEGER"), ("rssi_dbm", "DOUBLE"),
    ("battery_v", "DOUBLE"),
] %}
{%- set checks = [("ts", "ts", "measured_at")] %}
{%- for col, type in numeric %}{% set _ = checks.append((col, col ~ "_text", col)) %}{% endfor %}
WITH typed AS (
    SELECT
        tower_id,
        ts,
        status,
        power_source,
        {{ local_timestamp('ts') }} AS measured_at,
        {%- for col, type in numeric %}
        {{ col }} AS {{ col }}_text,
        {{ decimal_number(col, type, decimal_comma) }} AS {{ col }},
        {%- endfor %}
    FROM {{ source }}
),
placed AS (
    SELECT *,
           {{ us_into_day('measured_at', day) }} AS us_into_day
    FROM typed
)
SELECT
    tower_id,
    measured_at,
    status,
    {%- for col, type in numeric %}
    {{ col }},
    {%- endfor %}
    power_source,
    CASE WHEN us_into_day >= 0 AND us_into_day < 86400000000 AND us_into_day % 300000000 = 0
         THEN CAST(us_into_day // 300000000 AS SMALLINT) END AS slot,
    {{ cast_errors(checks) }} AS _cast_errors
FROM placed
