-- @partition month month_start
-- @column tower_mttr_minutes Here: NULL without outages.
-- @grain month_start, tower_id
-- Tower indicators per local calendar month (docs/indicators.md), from the daily mart.
-- A month runs to its last day, or to the latest day with a published KPI file if that
-- is earlier; a day in between without a KPI file counts as 288 missing slots.
-- With `month` (first day, YYYY-MM-01), only that month.
{% from 'macros/exact.sql' import exact_avg %}
WITH loaded AS (
    SELECT DISTINCT CAST(partition_key AS DATE) AS d
    FROM audit.load WHERE dataset = 'tower_kpi' AND status = 'published'
),
periods AS (
    SELECT CAST(date_trunc('month', d) AS DATE) AS month_start,
           least(CAST(last_day(max(d)) AS DATE), max(d)) AS period_end_date
    FROM loaded
    {%- if month is defined %}
    WHERE date_trunc('month', d) = DATE '{{ month }}'
    {%- endif %}
    GROUP BY 1
),
days AS (
    SELECT month_start, period_end_date,
           CAST(unnest(generate_series(month_start, period_end_date, INTERVAL 1 DAY)) AS DATE) AS day
    FROM periods
),
in_service AS (
    SELECT d.month_start, d.period_end_date, d.day, t.tower_id
    FROM days AS d
    JOIN core.dim_tower AS t
      ON t.valid_from <= d.day AND (t.valid_to IS NULL OR t.valid_to > d.day)
    WHERE t.commissioned_on <= d.day AND (t.decommissioned_on IS NULL OR t.decommissioned_on > d.day)
),
slots AS (
    SELECT i.month_start, i.tower_id, any_value(i.period_end_date) AS period_end_date,
           count(*) AS days_in_service,
           288 * count(*) AS slots_in_service,
           coalesce(sum(m.slots_with_sample), 0) AS slots_with_sample,
           coalesce(sum(m.slots_available), 0) AS slots_available
    FROM in_service AS i
    LEFT JOIN {{ ref('tower_availability_daily') }} AS m ON m.kpi_date = i.day AND m.tower_id = i.tower_id
    GROUP BY ALL
),
events AS (
    SELECT p.month_start, p.period_end_date, e.tower_id, e.event_type, e.event_at,
           -- outages still open at the period's end are clipped there
           timezone('{{ tz }}', CAST(p.period_end_date + 1 AS TIMESTAMP)) AS clip_at
    FROM core.fct_tower_event AS e
    JOIN periods AS p ON e.event_date BETWEEN p.month_start AND p.period_end_date
),
ups AS (
    SELECT tower_id, event_at AS up_at FROM core.fct_tower_event WHERE event_type = 'LINK_UP'
),
outages AS (
    SELECT d.month_start, d.tower_id,
           epoch(least(coalesce(u.up_at, d.clip_at), d.clip_at) - d.event_at) / 60.0 AS minutes
    FROM (SELECT * FROM events WHERE event_type = 'LINK_DOWN') AS d
    ASOF LEFT JOIN ups AS u ON u.tower_id = d.tower_id AND u.up_at > d.event_at
),
power AS (
    SELECT month_start, tower_id, count(*) AS power_loss_events
    FROM events WHERE event_type = 'POWER_LOSS' GROUP BY ALL
),
mttr AS (
    SELECT month_start, tower_id, count(*) AS link_outages, {{ exact_avg('minutes') }} AS tower_mttr_minutes
    FROM outages GROUP BY ALL
)
SELECT
    s.month_start,
    s.tower_id,
    s.days_in_service,
    s.slots_in_service,
    s.slots_with_sample,
    s.slots_available,
    100.0 * s.slots_available / s.slots_in_service AS tower_availability_pct,
    100.0 * s.slots_with_sample / s.slots_in_service AS tower_data_completeness_pct,
    5 * (s.slots_in_service - s.slots_available) AS tower_downtime_minutes,
    coalesce(p.power_loss_events, 0) AS tower_power_loss_events,
    coalesce(m.link_outages, 0) AS link_outages,
    m.tower_mttr_minutes,
    s.period_end_date
FROM slots AS s
LEFT JOIN power AS p USING (month_start, tower_id)
LEFT JOIN mttr AS m USING (month_start, tower_id)
ORDER BY s.month_start, s.tower_id
