-- @partition month month_date
-- @table Province indicators per local month (docs/indicators.md), over all the province's villages and towers: one row per province of a province or national run (KONEKTIVITAS_REGION_CODE), none for a regency run.
-- @column month_date First day of the local (WITA) month.
-- @column province_code Kemendagri province code.
-- @column province_name Province name in the latest edition; empty when the landed editions lack the province row.
-- @column villages_total Villages valid in the month.
-- @column villages_blank_spot Villages with blank_spot = true.
-- @column villages_unknown Villages with blank_spot unknown (no centroid and no partner service).
-- @column villages_connected_pct NULL when every village is unknown.
-- @column population_total Population of all the area's villages (attributes of the latest year <= the month's year).
-- @column population_blank_spot Population of the blank-spot villages.
-- @column towers_in_service Towers in service on the month's last day recorded in the province.
-- @column tower_availability_pct Here: the mean over the area's towers in service on the month's last day; towers without KPI data left out.
-- @grain month_date, province_code
{% from 'macros/connectivity.sql' import region_areas %}
SELECT * RENAME (area_code AS province_code, area_name AS province_name) FROM (
{{ region_areas(month, region_code, 2, ref('village_connectivity_monthly'),
                ref('tower_service_monthly'), ref('input_completeness_monthly')) }}
)
