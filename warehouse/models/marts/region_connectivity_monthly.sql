-- @partition month month_date
-- @table The indicators of the whole region the run follows (KONEKTIVITAS_REGION_CODE: a regency, a province or the nation) per local month (docs/indicators.md), over all its villages and towers: one row per month. The monthly report's headline.
-- @column month_date First day of the local (WITA) month.
-- @column region_code The region setting: a Kemendagri regency or province code, or national.
-- @column region_name The region's name in the latest edition (Indonesia for national); empty when the landed editions lack its row.
-- @column villages_total Villages valid in the month.
-- @column villages_blank_spot Villages with blank_spot = true.
-- @column villages_unknown Villages with blank_spot unknown (no centroid and no partner service).
-- @column villages_connected_pct NULL when every village is unknown.
-- @column population_total Population of all the region's villages (attributes of the latest year <= the month's year).
-- @column population_blank_spot Population of the blank-spot villages.
-- @column towers_in_service Towers in service on the month's last day recorded in the region.
-- @column tower_availability_pct Here: the mean over the region's towers in service on the month's last day; towers without KPI data left out.
-- @grain month_date, region_code
{# The same formulas as the district, regency and province marts, over one area: the
   region itself (its code's width of every village code; none for the nation). #}
{% from 'macros/connectivity.sql' import region_areas %}
{% set width = 0 if region_code == 'national' else region_code | length %}
SELECT * REPLACE ({{ lit(region_code) }} AS region_code,
                  {{ "'Indonesia'" if region_code == 'national' else 'region_name' }} AS region_name)
FROM (
SELECT * RENAME (area_code AS region_code, area_name AS region_name) FROM (
{{ region_areas(month, region_code, width, ref('village_connectivity_monthly'),
                ref('tower_service_monthly'), ref('input_completeness_monthly')) }}
))
