-- @partition month month_date
-- @column tower_availability_pct Here: the tower's month (marts.tower_availability_monthly); NULL when no KPI sample exists for the month.
-- @grain month_date, tower_id
-- Towers in service on the month's last day, with the month's availability. The tower's
-- village code is resolved to the one valid in the month (a tower recorded under a
-- pre-split code is counted in the district its village belongs to then).
{% from 'macros/connectivity.sql' import in_month, month_bounds, month_villages %}
WITH {{ month_bounds(month, tz) }},
{{ month_villages() }},
towers AS (
    SELECT t.*
    FROM core.dim_tower AS t CROSS JOIN bounds AS b
    WHERE t.valid_from <= b.last_date AND (t.valid_to IS NULL OR t.valid_to > b.last_date)
      AND t.commissioned_on <= b.last_date
      AND (t.decommissioned_on IS NULL OR t.decommissioned_on > b.last_date)
),
located AS (
    -- one code per tower: the one valid on the last day (when the tower is counted),
    -- its own before a successor's
    SELECT tower_id, month_code, month_district_code
    FROM ({{ in_month('towers', 'village_code', ref('region_code_current')) }}) AS r
    QUALIFY row_number() OVER (
        PARTITION BY tower_id ORDER BY valid_on_last_day DESC, exact DESC, month_code) = 1
)
SELECT b.month_date,
       t.tower_id,
       t.village_code AS inventory_village_code,
       l.month_code AS village_code,
       l.month_district_code AS district_code,
       rc.current_district_code,
       t.lat,
       t.lon,
       t.coverage_radius_km,
       m.tower_availability_pct
FROM towers AS t
CROSS JOIN bounds AS b
LEFT JOIN located AS l ON l.tower_id = t.tower_id
LEFT JOIN {{ ref('tower_availability_monthly') }} AS m
    ON m.tower_id = t.tower_id AND m.month_start = b.month_date
LEFT JOIN {{ ref('region_code_current') }} AS rc ON rc.code = t.village_code
