-- Tower indicators per local day (docs/indicators.md). With `day`, only that day (the per-day
-- refresh after a KPI load, with `published_load` the day's published KPI load if any);
-- without, every day whose KPI file was published.
-- Every tower in service gets a row, samples or not: a missing slot is not available.
WITH days AS (
    {%- if day is defined %}
    SELECT DATE '{{ day }}' AS kpi_date
    {%- else %}
    SELECT DISTINCT CAST(partition_key AS DATE) AS kpi_date
    FROM audit.load WHERE dataset = 'tower_kpi' AND status = 'published'
    {%- endif %}
),
in_service AS (
    SELECT d.kpi_date, t.tower_id, t.village_code
    FROM days AS d
    JOIN core.dim_tower AS t
      ON t.valid_from <= d.kpi_date AND (t.valid_to IS NULL OR t.valid_to > d.kpi_date)
    WHERE t.commissioned_on <= d.kpi_date
      AND (t.decommissioned_on IS NULL OR t.decommissioned_on > d.kpi_date)
),
samples AS (
    SELECT kpi_date, tower_id,
           count(*) AS slots_with_sample,
           count(*) FILTER (WHERE status IN ('UP', 'DEGRADED')) AS slots_available
    {%- if published_load is defined %}
    -- The day's published load, named: its landed rows are exactly the day's published
    -- samples, and a literal load_id skips the view's per-row lookup of published loads.
    FROM core.fct_tower_kpi_5min_landed
    WHERE kpi_date IN (SELECT kpi_date FROM days) AND load_id = '{{ published_load }}'
    {%- else %}
    FROM core.fct_tower_kpi_5min
    WHERE kpi_date IN (SELECT kpi_date FROM days)
    {%- endif %}
    GROUP BY ALL
),
power AS (
    SELECT event_date AS kpi_date, tower_id, count(*) AS power_loss_events
    FROM core.fct_tower_event
    WHERE event_type = 'POWER_LOSS' AND event_date IN (SELECT kpi_date FROM days)
    GROUP BY ALL
)
SELECT
    i.kpi_date,
    i.tower_id,
    i.village_code,
    288 AS slots_in_service,
    coalesce(s.slots_with_sample, 0) AS slots_with_sample,
    coalesce(s.slots_available, 0) AS slots_available,
    100.0 * coalesce(s.slots_available, 0) / 288 AS tower_availability_pct,
    100.0 * coalesce(s.slots_with_sample, 0) / 288 AS tower_data_completeness_pct,
    5 * (288 - coalesce(s.slots_available, 0)) AS tower_downtime_minutes,
    coalesce(p.power_loss_events, 0) AS tower_power_loss_events
FROM in_service AS i
LEFT JOIN samples AS s USING (kpi_date, tower_id)
LEFT JOIN power AS p USING (kpi_date, tower_id)
ORDER BY i.kpi_date, i.tower_id
