-- Typed router events of one syslog file (docs/sources.md 2c). `source` has one row per line
-- (_line, line). A line is RFC 3164 when it has <PRI>, a timestamp, a host (the tower)
-- and a tag; the year comes from the file's date, the time is WITA.
{%- from 'macros/parsing.sql' import cast_errors, decimal_number, local_timestamp %}
WITH parts AS (
    SELECT _line, line,
           regexp_extract(
               line,
               '^<(\d{1,3})>([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\S+) ([A-Za-z0-9_./-]+)(?:\[\d+\])?: ?(.*)$',
               ['pri', 'mon', 'dd', 'hms', 'host', 'tag', 'msg']
           ) AS p
    FROM {{ source }}
),
fields AS (
    SELECT _line, line,
           CAST(nullif(p.pri, '') AS SMALLINT) AS syslog_priority,
           nullif(p.host, '') AS tower_id,
           nullif(p.tag, '') AS tag,
           CASE WHEN p.pri <> '' THEN p.msg END AS message,
           list_position(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'], p.mon) AS month_no,
           -- the timestamp as written, for the cast error; only on a syslog line
           CASE WHEN p.pri <> '' THEN p.mon || ' ' || p.dd || ' ' || p.hms END AS timestamp_text,
           p.dd, p.hms
    FROM parts
),
timed AS (
    SELECT *,
           {{ local_timestamp("year(DATE '" ~ day ~ "') || '-' || month_no || '-' || dd || ' ' || hms") }}
               AS event_at
    FROM fields
)
SELECT
    e._line,
    '{{ load_id }}' AS load_id,
    DATE '{{ day }}' AS event_date,
    e.line,
    e.syslog_priority,
    e.tower_id,
    e.tag,
    e.message,
    e.event_at,
    CASE
        WHEN e.tag = 'netwatch' AND regexp_matches(e.message, '^link \S+ down$') THEN 'LINK_DOWN'
        WHEN e.tag = 'netwatch' AND regexp_matches(e.message, '^link \S+ up$') THEN 'LINK_UP'
        WHEN e.tag = 'power' AND e.message = 'mains lost, running on battery' THEN 'POWER_LOSS'
        WHEN e.tag = 'power' AND e.message = 'mains restored' THEN 'POWER_RESTORED'
        WHEN e.tag = 'power' AND regexp_matches(e.message, '^battery low \d+(\.\d+)?V$') THEN 'BATTERY_LOW'
        WHEN e.tag = 'genset' AND e.message = 'started' THEN 'GENSET_START'
        WHEN e.tag = 'genset' AND e.message = 'stopped' THEN 'GENSET_STOP'
        WHEN e.tag = 'system' AND e.message = 'router rebooted' THEN 'REBOOT'
        ELSE 'OTHER'
    END AS event_type,
    CASE WHEN e.tag = 'netwatch' THEN nullif(regexp_extract(e.message, '^link (\S+) (down|up)$', 1), '') END AS iface,
    -- the pattern admits a decimal point only
    CASE WHEN e.tag = 'power'
         THEN {{ decimal_number("nullif(regexp_extract(e.message, '^battery low (\d+(\.\d+)?)V$', 1), '')",
                                decimal_comma=false) }} END AS battery_v,
    date_diff('day', DATE '{{ day }}', CAST(timezone('Asia/Makassar', e.event_at) AS DATE)) AS days_from_file_day,
    CASE WHEN e.tower_id IS NOT NULL THEN t.tower_id IS NOT NULL END AS tower_in_inventory,
    {{ cast_errors([("timestamp", "e.timestamp_text", "e.event_at")]) }} AS _cast_errors
FROM timed AS e
LEFT JOIN (
    SELECT tower_id FROM core.dim_tower
    WHERE valid_from <= DATE '{{ day }}' AND (valid_to IS NULL OR valid_to > DATE '{{ day }}')
) AS t ON t.tower_id = e.tower_id
