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
