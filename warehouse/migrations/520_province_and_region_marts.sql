-- The province and region marts (warehouse/models/marts/province_connectivity_monthly.sql,
-- region_connectivity_monthly.sql), declared like every other mart, so that they exist,
-- with the same column types as the regency mart, before their first build: marts.indicator_metadata lists the marts that carry each
-- indicator from the catalog, and a first build must already see them. Their comments
-- come from the models when they are built.
CREATE TABLE marts.province_connectivity_monthly (
    month_date                                DATE NOT NULL,
    province_code                             VARCHAR NOT NULL,
    province_name                             VARCHAR,
    villages_total                            BIGINT,
    villages_blank_spot                       BIGINT,
    villages_unknown                          BIGINT,
    villages_connected_pct                    DOUBLE,
    population_total                          BIGINT,
    population_blank_spot                     BIGINT,
    population_blank_spot_pct                 DOUBLE,
    towers_in_service                         BIGINT,
    tower_availability_pct                    DOUBLE,
    tower_kpi_days_loaded_pct                 DOUBLE,
    tower_inventory_date                      DATE,
    partner_sites_pulled_to                   TIMESTAMPTZ,
    partner_outages_pulled_through_month_end  BOOLEAN,
    partner_sites_unresolved                  BIGINT,
    towers_unresolved                         BIGINT
);
COMMENT ON TABLE marts.province_connectivity_monthly IS 'Province indicators per local month (docs/indicators.md), over all the province''s villages and towers: one row per province of a province or national run (KONEKTIVITAS_REGION_CODE), none for a regency run.';

CREATE TABLE marts.region_connectivity_monthly (
    month_date                                DATE NOT NULL,
    region_code                               VARCHAR NOT NULL,
    region_name                               VARCHAR,
    villages_total                            BIGINT,
    villages_blank_spot                       BIGINT,
    villages_unknown                          BIGINT,
    villages_connected_pct                    DOUBLE,
    population_total                          BIGINT,
    population_blank_spot                     BIGINT,
    population_blank_spot_pct                 DOUBLE,
    towers_in_service                         BIGINT,
    tower_availability_pct                    DOUBLE,
    tower_kpi_days_loaded_pct                 DOUBLE,
    tower_inventory_date                      DATE,
    partner_sites_pulled_to                   TIMESTAMPTZ,
    partner_outages_pulled_through_month_end  BOOLEAN,
    partner_sites_unresolved                  BIGINT,
    towers_unresolved                         BIGINT
);
COMMENT ON TABLE marts.region_connectivity_monthly IS 'The indicators of the whole region the run follows (KONEKTIVITAS_REGION_CODE: a regency, a province or the nation) per local month, over all its villages and towers: one row per month. The monthly report''s headline.';
COMMENT ON COLUMN marts.province_connectivity_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.province_connectivity_monthly.province_code IS 'Kemendagri province code.';
COMMENT ON COLUMN marts.province_connectivity_monthly.province_name IS 'Province name in the latest edition; empty when the landed editions lack the province row.';
COMMENT ON COLUMN marts.province_connectivity_monthly.villages_total IS 'Villages (villages): Villages valid at any time in the month in the area. Formula: count of villages. Published rounded to 0 decimals. Villages valid in the month.';
COMMENT ON COLUMN marts.province_connectivity_monthly.villages_blank_spot IS 'Blank-spot villages (villages): Villages whose blank_spot is true. Formula: count of villages with blank_spot = true. Published rounded to 0 decimals. Villages with blank_spot = true.';
COMMENT ON COLUMN marts.province_connectivity_monthly.villages_unknown IS 'Villages of unknown status (villages): Villages whose blank_spot is unknown (no centroid and no partner service). Formula: count of villages with blank_spot unknown. Published rounded to 0 decimals. Villages with blank_spot unknown (no centroid and no partner service).';
COMMENT ON COLUMN marts.province_connectivity_monthly.villages_connected_pct IS 'Villages connected (%): Share of villages of known status that are not blank spots. Formula: (villages_total - villages_blank_spot - villages_unknown) / (villages_total - villages_unknown) x 100; unknown when every village is unknown. Published rounded to 2 decimals. NULL when every village is unknown.';
COMMENT ON COLUMN marts.province_connectivity_monthly.population_total IS 'Population of all the area''s villages (attributes of the latest year <= the month''s year).';
COMMENT ON COLUMN marts.province_connectivity_monthly.population_blank_spot IS 'Population in blank spots (persons): Population of blank-spot villages, from the village attributes of the latest year <= the month''s year. Formula: sum(population) over villages with blank_spot = true. Published rounded to 0 decimals. Population of the blank-spot villages.';
COMMENT ON COLUMN marts.province_connectivity_monthly.population_blank_spot_pct IS 'Population in blank spots (share) (%): Share of the area''s population living in blank-spot villages. Formula: population_blank_spot / population of all the area''s villages x 100. Published rounded to 2 decimals.';
COMMENT ON COLUMN marts.province_connectivity_monthly.towers_in_service IS 'Towers in service (towers): Towers in service on the month''s last day, counted in the district of the tower''s village_code. Formula: count of towers with commissioned_on <= last day < decommissioned_on. Published rounded to 0 decimals. Towers in service on the month''s last day recorded in the province.';
COMMENT ON COLUMN marts.province_connectivity_monthly.tower_availability_pct IS 'Tower availability (%): Share of a tower''s 5-minute slots in service with status UP or DEGRADED; a slot with no sample counts as not available. For a district or regency: the mean of the monthly availability of its towers in service on the month''s last day. Formula: slots UP or DEGRADED / slots in service x 100 (288 slots a local day while commissioned_on <= day < decommissioned_on). Published rounded to 2 decimals. Here: the mean over the area''s towers in service on the month''s last day; towers without KPI data left out.';
COMMENT ON COLUMN marts.province_connectivity_monthly.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded (%): Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month). Formula: tower_days_with_kpi_file / tower_days_in_service x 100. Published rounded to 2 decimals.';
COMMENT ON COLUMN marts.province_connectivity_monthly.tower_inventory_date IS 'Tower inventory date (date): Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is. Formula: max(snapshot date) <= the month''s last day.';
COMMENT ON COLUMN marts.province_connectivity_monthly.partner_sites_pulled_to IS 'Partner sites pulled to (timestamp): How far the partner''s sites have been pulled and loaded (the sites watermark, UTC). Formula: watermark of the PLN sites stream.';
COMMENT ON COLUMN marts.province_connectivity_monthly.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end (true/false): The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown. Formula: outages watermark >= month end.';
COMMENT ON COLUMN marts.province_connectivity_monthly.partner_sites_unresolved IS 'Partner sites without a village code of the month (sites): Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month. Formula: count of active sites with no village code of the month. Published rounded to 0 decimals.';
COMMENT ON COLUMN marts.province_connectivity_monthly.towers_unresolved IS 'Towers without a village code of the month (towers): Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district. Formula: count of towers in service with no village code of the month. Published rounded to 0 decimals.';
COMMENT ON COLUMN marts.region_connectivity_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.region_connectivity_monthly.region_code IS 'The region setting: a Kemendagri regency or province code, or national.';
COMMENT ON COLUMN marts.region_connectivity_monthly.region_name IS 'The region''s name in the latest edition (Indonesia for national); empty when the landed editions lack its row.';
COMMENT ON COLUMN marts.region_connectivity_monthly.villages_total IS 'Villages (villages): Villages valid at any time in the month in the area. Formula: count of villages. Published rounded to 0 decimals. Villages valid in the month.';
COMMENT ON COLUMN marts.region_connectivity_monthly.villages_blank_spot IS 'Blank-spot villages (villages): Villages whose blank_spot is true. Formula: count of villages with blank_spot = true. Published rounded to 0 decimals. Villages with blank_spot = true.';
COMMENT ON COLUMN marts.region_connectivity_monthly.villages_unknown IS 'Villages of unknown status (villages): Villages whose blank_spot is unknown (no centroid and no partner service). Formula: count of villages with blank_spot unknown. Published rounded to 0 decimals. Villages with blank_spot unknown (no centroid and no partner service).';
COMMENT ON COLUMN marts.region_connectivity_monthly.villages_connected_pct IS 'Villages connected (%): Share of villages of known status that are not blank spots. Formula: (villages_total - villages_blank_spot - villages_unknown) / (villages_total - villages_unknown) x 100; unknown when every village is unknown. Published rounded to 2 decimals. NULL when every village is unknown.';
COMMENT ON COLUMN marts.region_connectivity_monthly.population_total IS 'Population of all the region''s villages (attributes of the latest year <= the month''s year).';
COMMENT ON COLUMN marts.region_connectivity_monthly.population_blank_spot IS 'Population in blank spots (persons): Population of blank-spot villages, from the village attributes of the latest year <= the month''s year. Formula: sum(population) over villages with blank_spot = true. Published rounded to 0 decimals. Population of the blank-spot villages.';
COMMENT ON COLUMN marts.region_connectivity_monthly.population_blank_spot_pct IS 'Population in blank spots (share) (%): Share of the area''s population living in blank-spot villages. Formula: population_blank_spot / population of all the area''s villages x 100. Published rounded to 2 decimals.';
COMMENT ON COLUMN marts.region_connectivity_monthly.towers_in_service IS 'Towers in service (towers): Towers in service on the month''s last day, counted in the district of the tower''s village_code. Formula: count of towers with commissioned_on <= last day < decommissioned_on. Published rounded to 0 decimals. Towers in service on the month''s last day recorded in the region.';
COMMENT ON COLUMN marts.region_connectivity_monthly.tower_availability_pct IS 'Tower availability (%): Share of a tower''s 5-minute slots in service with status UP or DEGRADED; a slot with no sample counts as not available. For a district or regency: the mean of the monthly availability of its towers in service on the month''s last day. Formula: slots UP or DEGRADED / slots in service x 100 (288 slots a local day while commissioned_on <= day < decommissioned_on). Published rounded to 2 decimals. Here: the mean over the region''s towers in service on the month''s last day; towers without KPI data left out.';
COMMENT ON COLUMN marts.region_connectivity_monthly.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded (%): Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month). Formula: tower_days_with_kpi_file / tower_days_in_service x 100. Published rounded to 2 decimals.';
COMMENT ON COLUMN marts.region_connectivity_monthly.tower_inventory_date IS 'Tower inventory date (date): Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is. Formula: max(snapshot date) <= the month''s last day.';
COMMENT ON COLUMN marts.region_connectivity_monthly.partner_sites_pulled_to IS 'Partner sites pulled to (timestamp): How far the partner''s sites have been pulled and loaded (the sites watermark, UTC). Formula: watermark of the PLN sites stream.';
COMMENT ON COLUMN marts.region_connectivity_monthly.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end (true/false): The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown. Formula: outages watermark >= month end.';
COMMENT ON COLUMN marts.region_connectivity_monthly.partner_sites_unresolved IS 'Partner sites without a village code of the month (sites): Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month. Formula: count of active sites with no village code of the month. Published rounded to 0 decimals.';
COMMENT ON COLUMN marts.region_connectivity_monthly.towers_unresolved IS 'Towers without a village code of the month (towers): Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district. Formula: count of towers in service with no village code of the month. Published rounded to 0 decimals.';
