-- @partition month month_date
-- @column villages_connected_pct NULL when every village is unknown.
-- @column tower_availability_pct Here: the mean over the area's towers in service on the month's last day; towers without KPI data left out.
-- @column towers_in_service Here: counted in the current district of the tower's village_code.
-- @grain month_date, district_code
-- District indicators of a past month re-expressed on the latest edition's districts.
-- Villages that ended without a successor have no current district and are left out.
{% from 'macros/connectivity.sql' import area_indicators, completeness %}
WITH v AS (SELECT * FROM {{ ref('village_connectivity_monthly') }}
           WHERE month_date = DATE '{{ month }}' AND current_district_code IS NOT NULL),
t AS (SELECT * FROM {{ ref('tower_service_monthly') }}
      WHERE month_date = DATE '{{ month }}' AND current_district_code IS NOT NULL),
{{ area_indicators('v', 't', 'current_district_code') }}
SELECT DATE '{{ month }}' AS month_date, area.area_code AS district_code,
       r.name AS district_name,
       (SELECT max(valid_from) FROM core.dim_region) AS harmonised_to_edition_date,
       area.* EXCLUDE (area_code),
       completeness.*
FROM area
CROSS JOIN {{ completeness(ref('input_completeness_monthly'), month) }}
LEFT JOIN core.dim_region AS r ON r.code = area.area_code AND r.valid_to IS NULL
