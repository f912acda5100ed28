-- @partition month month_date
-- @column villages_connected_pct NULL when every village is unknown.
-- @column tower_availability_pct Here: the mean over the area's towers in service on the month's last day; towers without KPI data left out.
-- @grain month_date, regency_code
-- Regency indicators: the same formulas over every village and tower of each regency of
-- the region (one row for a regency run, one per regency for a province or the nation).
{% from 'macros/connectivity.sql' import region_areas %}
SELECT * RENAME (area_code AS regency_code, area_name AS regency_name) FROM (
{{ region_areas(month, region_code, 5, ref('village_connectivity_monthly'),
                ref('tower_service_monthly'), ref('input_completeness_monthly')) }}
)
