-- @partition month month_date
-- @column villages_connected_pct NULL when every village is unknown.
-- @column tower_availability_pct Here: the mean over the area's towers in service on the month's last day; towers without KPI data left out.
-- @grain month_date, district_code
-- District indicators on the district codes valid in the month.
{% from 'macros/connectivity.sql' import area_indicators, completeness, in_region, month_bounds %}
WITH {{ month_bounds(month, tz) }},
v AS (SELECT * FROM {{ ref('village_connectivity_monthly') }} WHERE month_date = DATE '{{ month }}'),
t AS (SELECT * FROM {{ ref('tower_service_monthly') }} WHERE month_date = DATE '{{ month }}'
      AND {{ in_region('district_code', region_code) }}),
{{ area_indicators('v', 't', 'district_code') }},
names AS (
    SELECT r.code, r.name
    FROM core.dim_region AS r CROSS JOIN bounds AS b
    WHERE r.level = 'district' AND r.valid_from <= b.last_date
      AND (r.valid_to IS NULL OR r.valid_to > b.month_date)
    QUALIFY row_number() OVER (PARTITION BY r.code ORDER BY r.valid_from DESC) = 1
)
SELECT DATE '{{ month }}' AS month_date, area.area_code AS district_code, names.name AS district_name,
       area.* EXCLUDE (area_code),
       completeness.*
FROM area LEFT JOIN names ON names.code = area.area_code
CROSS JOIN {{ completeness(ref('input_completeness_monthly'), month) }}
