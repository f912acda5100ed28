-- A code recorded in one edition is resolved to the code valid in the month being
-- computed (partner sites, tower locations, village attributes), and each month's marts
-- carry how complete their inputs are; indicators whose inputs are missing are NULL.
ALTER TABLE marts.region_code_current ADD COLUMN place_code VARCHAR;
COMMENT ON COLUMN marts.region_code_current.place_code IS 'The last code of path: every code of the same place (through moves, in any edition) has the same place_code.';

ALTER TABLE marts.tower_service_monthly ADD COLUMN inventory_village_code VARCHAR;
COMMENT ON COLUMN marts.tower_service_monthly.inventory_village_code IS 'Kemendagri village code the inventory gives for the tower, of whichever edition.';
COMMENT ON COLUMN marts.tower_service_monthly.village_code IS 'inventory_village_code resolved through the code succession to the village code valid in the month (the same code when it is valid then); NULL when no code of that place is valid in the month (counted in towers_unresolved).';
COMMENT ON COLUMN marts.tower_service_monthly.district_code IS 'District of village_code in the month, where the tower is counted; NULL when village_code is.';

ALTER TABLE marts.village_connectivity_monthly ALTER COLUMN partner_service DROP NOT NULL;
ALTER TABLE marts.village_connectivity_monthly ADD COLUMN tower_kpi_days_loaded_pct DOUBLE;
ALTER TABLE marts.village_connectivity_monthly ADD COLUMN tower_inventory_date DATE;
ALTER TABLE marts.village_connectivity_monthly ADD COLUMN partner_sites_pulled_to TIMESTAMPTZ;
ALTER TABLE marts.village_connectivity_monthly ADD COLUMN partner_outages_pulled_through_month_end BOOLEAN;
ALTER TABLE marts.village_connectivity_monthly ADD COLUMN partner_sites_unresolved BIGINT;
ALTER TABLE marts.village_connectivity_monthly ADD COLUMN towers_unresolved BIGINT;
ALTER TABLE marts.district_connectivity_monthly ADD COLUMN tower_kpi_days_loaded_pct DOUBLE;
ALTER TABLE marts.district_connectivity_monthly ADD COLUMN tower_inventory_date DATE;
ALTER TABLE marts.district_connectivity_monthly ADD COLUMN partner_sites_pulled_to TIMESTAMPTZ;
ALTER TABLE marts.district_connectivity_monthly ADD COLUMN partner_outages_pulled_through_month_end BOOLEAN;
ALTER TABLE marts.district_connectivity_monthly ADD COLUMN partner_sites_unresolved BIGINT;
ALTER TABLE marts.district_connectivity_monthly ADD COLUMN towers_unresolved BIGINT;
ALTER TABLE marts.regency_connectivity_monthly ADD COLUMN tower_kpi_days_loaded_pct DOUBLE;
ALTER TABLE marts.regency_connectivity_monthly ADD COLUMN tower_inventory_date DATE;
ALTER TABLE marts.regency_connectivity_monthly ADD COLUMN partner_sites_pulled_to TIMESTAMPTZ;
ALTER TABLE marts.regency_connectivity_monthly ADD COLUMN partner_outages_pulled_through_month_end BOOLEAN;
ALTER TABLE marts.regency_connectivity_monthly ADD COLUMN partner_sites_unresolved BIGINT;
ALTER TABLE marts.regency_connectivity_monthly ADD COLUMN towers_unresolved BIGINT;
ALTER TABLE marts.district_connectivity_monthly_harmonised ADD COLUMN tower_kpi_days_loaded_pct DOUBLE;
ALTER TABLE marts.district_connectivity_monthly_harmonised ADD COLUMN tower_inventory_date DATE;
ALTER TABLE marts.district_connectivity_monthly_harmonised ADD COLUMN partner_sites_pulled_to TIMESTAMPTZ;
ALTER TABLE marts.district_connectivity_monthly_harmonised ADD COLUMN partner_outages_pulled_through_month_end BOOLEAN;
ALTER TABLE marts.district_connectivity_monthly_harmonised ADD COLUMN partner_sites_unresolved BIGINT;
ALTER TABLE marts.district_connectivity_monthly_harmonised ADD COLUMN towers_unresolved BIGINT;

ALTER TABLE marts.indicator_metadata ADD COLUMN kind VARCHAR;
COMMENT ON COLUMN marts.indicator_metadata.kind IS 'indicator (a published statistic) or completeness (how complete the inputs of a month are; shown next to each month).';

-- Declared so that marts.indicator_metadata lists it before its first month is built; the
-- engine writes its comments from the model and warehouse/indicators.yml.
CREATE TABLE marts.input_completeness_monthly (
    month_date                                DATE NOT NULL,
    tower_days_in_service                     BIGINT,
    tower_days_with_kpi_file                  BIGINT,
    tower_kpi_days_loaded_pct                 DOUBLE,
    tower_inventory_date                      DATE,
    tower_inputs_present                      BOOLEAN,
    towers_unresolved                         BIGINT,
    partner_sites_pulled_to                   TIMESTAMPTZ,
    partner_inputs_present                    BOOLEAN,
    partner_outages_pulled_through_month_end  BOOLEAN,
    partner_sites_unresolved                  BIGINT
);

-- Until the engine first builds them, the columns say what they are (the engine then
-- writes the full text from warehouse/indicators.yml).
COMMENT ON TABLE marts.input_completeness_monthly IS 'How complete each local month''s inputs are; see the model warehouse/models/marts/input_completeness_monthly.sql.';
COMMENT ON COLUMN marts.input_completeness_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.input_completeness_monthly.tower_days_in_service IS 'Tower-days in service: Days of the month times towers in service on them, by the inventory version in force that day; 0 when no inventory snapshot covers the month.';
COMMENT ON COLUMN marts.input_completeness_monthly.tower_days_with_kpi_file IS 'Tower-days with a KPI file: Tower-days in service whose day has a published KPI file.';
COMMENT ON COLUMN marts.input_completeness_monthly.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded: Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month).';
COMMENT ON COLUMN marts.input_completeness_monthly.tower_inventory_date IS 'Tower inventory date: Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is.';
COMMENT ON COLUMN marts.input_completeness_monthly.tower_inputs_present IS 'Tower data present: Some tower-day of the month has a KPI file. When not, covered_by_tower is unknown for every village (and so blank_spot, unless the village has partner service).';
COMMENT ON COLUMN marts.input_completeness_monthly.towers_unresolved IS 'Towers without a village code of the month: Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district.';
COMMENT ON COLUMN marts.input_completeness_monthly.partner_sites_pulled_to IS 'Partner sites pulled to: How far the partner''s sites have been pulled and loaded (the sites watermark, UTC).';
COMMENT ON COLUMN marts.input_completeness_monthly.partner_inputs_present IS 'Partner data present: The partner''s sites were pulled at least to the month''s start. When not, partner_service is unknown for a village no known site serves.';
COMMENT ON COLUMN marts.input_completeness_monthly.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end: The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown.';
COMMENT ON COLUMN marts.input_completeness_monthly.partner_sites_unresolved IS 'Partner sites without a village code of the month: Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded of the month (marts.input_completeness_monthly): Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month).';
COMMENT ON COLUMN marts.village_connectivity_monthly.tower_inventory_date IS 'Tower inventory date of the month (marts.input_completeness_monthly): Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is.';
COMMENT ON COLUMN marts.village_connectivity_monthly.partner_sites_pulled_to IS 'Partner sites pulled to of the month (marts.input_completeness_monthly): How far the partner''s sites have been pulled and loaded (the sites watermark, UTC).';
COMMENT ON COLUMN marts.village_connectivity_monthly.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end of the month (marts.input_completeness_monthly): The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown.';
COMMENT ON COLUMN marts.village_connectivity_monthly.partner_sites_unresolved IS 'Partner sites without a village code of the month of the month (marts.input_completeness_monthly): Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.towers_unresolved IS 'Towers without a village code of the month of the month (marts.input_completeness_monthly): Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district.';
COMMENT ON COLUMN marts.district_connectivity_monthly.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded of the month (marts.input_completeness_monthly): Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month).';
COMMENT ON COLUMN marts.district_connectivity_monthly.tower_inventory_date IS 'Tower inventory date of the month (marts.input_completeness_monthly): Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is.';
COMMENT ON COLUMN marts.district_connectivity_monthly.partner_sites_pulled_to IS 'Partner sites pulled to of the month (marts.input_completeness_monthly): How far the partner''s sites have been pulled and loaded (the sites watermark, UTC).';
COMMENT ON COLUMN marts.district_connectivity_monthly.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end of the month (marts.input_completeness_monthly): The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown.';
COMMENT ON COLUMN marts.district_connectivity_monthly.partner_sites_unresolved IS 'Partner sites without a village code of the month of the month (marts.input_completeness_monthly): Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month.';
COMMENT ON COLUMN marts.district_connectivity_monthly.towers_unresolved IS 'Towers without a village code of the month of the month (marts.input_completeness_monthly): Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded of the month (marts.input_completeness_monthly): Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month).';
COMMENT ON COLUMN marts.regency_connectivity_monthly.tower_inventory_date IS 'Tower inventory date of the month (marts.input_completeness_monthly): Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.partner_sites_pulled_to IS 'Partner sites pulled to of the month (marts.input_completeness_monthly): How far the partner''s sites have been pulled and loaded (the sites watermark, UTC).';
COMMENT ON COLUMN marts.regency_connectivity_monthly.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end of the month (marts.input_completeness_monthly): The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.partner_sites_unresolved IS 'Partner sites without a village code of the month of the month (marts.input_completeness_monthly): Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.towers_unresolved IS 'Towers without a village code of the month of the month (marts.input_completeness_monthly): Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.tower_kpi_days_loaded_pct IS 'Tower KPI files loaded of the month (marts.input_completeness_monthly): Share of the month''s tower-days in service that have a published KPI file; unknown when no tower is in service (no inventory covers the month).';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.tower_inventory_date IS 'Tower inventory date of the month (marts.input_completeness_monthly): Date of the latest tower inventory snapshot in force by the month''s last day; empty when none is.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.partner_sites_pulled_to IS 'Partner sites pulled to of the month (marts.input_completeness_monthly): How far the partner''s sites have been pulled and loaded (the sites watermark, UTC).';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.partner_outages_pulled_through_month_end IS 'Partner outages pulled through month end of the month (marts.input_completeness_monthly): The partner''s outages were pulled through the month''s end; until then the measured SLA of the month is unknown.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.partner_sites_unresolved IS 'Partner sites without a village code of the month of the month (marts.input_completeness_monthly): Partner sites active in the month whose village code leads, through the code succession, to no village of the regency valid in the month; they serve no village that month.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.towers_unresolved IS 'Towers without a village code of the month of the month (marts.input_completeness_monthly): Towers in service on the month''s last day whose inventory village code leads, through the code succession, to no village code valid in the month; they cover villages by their position but are counted in no district.';
