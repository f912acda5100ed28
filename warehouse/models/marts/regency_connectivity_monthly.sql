-- @partition month month_date
-- @column villages_connected_pct NULL when every village is unknown.
-- @column tower_availability_pct Here: the mean over the area's towers in service on the month's last day; towers without KPI data left out.
-- @grain month_date, regency_code
-- Regency indicators: the same formulas over every village and tower of the regency.
{% from 'macros/connectivity.sql' import area_indicators, completeness %}
WITH v AS (SELECT * FROM {{ ref('village_connectivity_monthly') }} WHERE month_date = DATE '{{ month }}'),
t AS (SELECT * FROM {{ ref('tower_service_monthly') }} WHERE month_date = DATE '{{ month }}'
      AND inventory_village_code LIKE '{{ region_code }}.%'),
{{ area_indicators('v', 't', "'" ~ region_code ~ "'") }}
SELECT DATE '{{ month }}' AS month_date, area.area_code AS regency_code,
       (SELECT name FROM core.dim_region WHERE code = '{{ region_code }}'
        ORDER BY valid_from DESC LIMIT 1) AS regency_name,
       area.* EXCLUDE (area_code),
       completeness.*
FROM area
CROSS JOIN {{ completeness(ref('input_completeness_monthly'), month) }}
