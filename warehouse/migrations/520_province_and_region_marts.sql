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
