-- @partition month month_date
-- @column tower_availability_pct Here: the tower's month (marts.tower_availability_monthly); NULL when no KPI sample exists for the month.
-- @grain month_date, tower_id
-- Towers in service on the month's last day, with the month's availability.
{% from 'macros/connectivity.sql' import month_bounds %}
WITH {{ month_bounds(month, tz) }}
SELECT b.month_date,
       t.tower_id,
       t.village_code,
       regexp_extract(t.village_code, '^(\d{2}\.\d{2}\.\d{2})', 1) AS district_code,
       rc.current_district_code,
       t.lat,
       t.lon,
       t.coverage_radius_km,
       m.tower_availability_pct
FROM core.dim_tower AS t
CROSS JOIN bounds AS b
LEFT JOIN {{ ref('tower_availability_monthly') }} AS m
    ON m.tower_id = t.tower_id AND m.month_start = b.month_date
LEFT JOIN {{ ref('region_code_current') }} AS rc ON rc.code = t.village_code
WHERE t.valid_from <= b.last_date AND (t.valid_to IS NULL OR t.valid_to > b.last_date)
  AND t.commissioned_on <= b.last_date
  AND (t.decommissioned_on IS NULL OR t.decommissioned_on > b.last_date)
