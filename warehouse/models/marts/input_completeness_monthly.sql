-- @partition month month_date
-- @grain month_date
-- @table How complete each local month's inputs are: tower inventory and KPI files, partner pulls, codes that resolve to no village of the month. Where an input is missing, the indicators depending on it are NULL (unknown), never false or 0; these figures say why. Every connectivity mart of the month carries them.
-- @column month_date First day of the local (WITA) month.
{% from 'macros/connectivity.sql' import active_sites, in_month, month_bounds, month_villages %}
WITH {{ month_bounds(month, tz) }},
{{ month_villages(region_code) }},
days AS (
    SELECT CAST(unnest(generate_series(month_date, last_date, INTERVAL 1 DAY)) AS DATE) AS day
    FROM bounds
),
kpi_days AS (
    SELECT DISTINCT CAST(partition_key AS DATE) AS day
    FROM audit.load WHERE dataset = 'tower_kpi' AND status = 'published'
),
tower_days AS (
    SELECT count(*) AS tower_days_in_service,
           count(k.day) AS tower_days_with_kpi_file
    FROM days AS d
    JOIN core.dim_tower AS t
      ON t.valid_from <= d.day AND (t.valid_to IS NULL OR t.valid_to > d.day)
     AND t.commissioned_on <= d.day AND (t.decommissioned_on IS NULL OR t.decommissioned_on > d.day)
    LEFT JOIN kpi_days AS k ON k.day = d.day
),
inventory AS (
    SELECT max(t.valid_from) AS tower_inventory_date
    FROM core.dim_tower AS t CROSS JOIN bounds AS b WHERE t.valid_from <= b.last_date
),
pulled AS (
    SELECT max(watermark_at) FILTER (WHERE stream = 'sites') AS sites_to,
           max(watermark_at) FILTER (WHERE stream = 'outages') AS outages_to
    FROM audit.api_watermark WHERE source = 'pln'
),
{{ active_sites() }},
sites_resolved AS (
    SELECT DISTINCT site_id
    FROM ({{ in_month('active_sites', 'village_code', ref('region_code_current')) }}) AS r
)
SELECT b.month_date,
       td.tower_days_in_service,
       td.tower_days_with_kpi_file,
       100.0 * td.tower_days_with_kpi_file / nullif(td.tower_days_in_service, 0)
           AS tower_kpi_days_loaded_pct,
       i.tower_inventory_date,
       td.tower_days_with_kpi_file > 0 AS tower_inputs_present,
       (SELECT count(*) FROM {{ ref('tower_service_monthly') }}
        WHERE month_date = b.month_date AND village_code IS NULL) AS towers_unresolved,
       p.sites_to AS partner_sites_pulled_to,
       coalesce(p.sites_to >= b.month_start_at, FALSE) AS partner_inputs_present,
       coalesce(p.outages_to >= b.month_end_at, FALSE) AS partner_outages_pulled_through_month_end,
       (SELECT count(*) FROM active_sites AS s ANTI JOIN sites_resolved USING (site_id))
           AS partner_sites_unresolved
FROM bounds AS b
CROSS JOIN tower_days AS td
CROSS JOIN inventory AS i
CROSS JOIN pulled AS p
