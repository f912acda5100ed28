-- The monthly connectivity marts of docs/indicators.md. Declared here, not by CREATE TABLE AS,
-- so they keep their comments; each month is replaced as a partition (month_date).

CREATE TABLE marts.region_code_current (
    code                   VARCHAR NOT NULL,
    level                  VARCHAR NOT NULL,
    current_code           VARCHAR,
    current_district_code  VARCHAR,
    path                   VARCHAR[] NOT NULL,
    current_edition_date   DATE NOT NULL
);
COMMENT ON TABLE marts.region_code_current IS 'Every village and district code ever valid, mapped through core.region_code_succession to the code valid in the latest edition (renames keep the code; moves follow old_code → new_code).';
COMMENT ON COLUMN marts.region_code_current.code IS 'A Kemendagri code valid in some edition.';
COMMENT ON COLUMN marts.region_code_current.level IS 'district or village.';
COMMENT ON COLUMN marts.region_code_current.current_code IS 'The code the same place has in the latest edition; NULL when it ended without successor.';
COMMENT ON COLUMN marts.region_code_current.current_district_code IS 'For villages: the district of current_code in the latest edition. For districts: the district itself when still valid.';
COMMENT ON COLUMN marts.region_code_current.path IS 'The codes followed from code to current_code, in order.';
COMMENT ON COLUMN marts.region_code_current.current_edition_date IS 'Effective date of the latest edition the mapping leads to.';

CREATE TABLE marts.tower_service_monthly (
    month_date                 DATE NOT NULL,
    tower_id                   VARCHAR NOT NULL,
    village_code               VARCHAR,
    district_code              VARCHAR,
    current_district_code      VARCHAR,
    lat                        DOUBLE,
    lon                        DOUBLE,
    coverage_radius_km         DOUBLE,
    tower_availability_pct     DOUBLE
);
COMMENT ON TABLE marts.tower_service_monthly IS 'Towers in service on the last day of each local month (commissioned_on <= day < decommissioned_on, inventory version in force that day), with their monthly availability.';
COMMENT ON COLUMN marts.tower_service_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.tower_service_monthly.tower_id IS 'Tower identifier from the inventory.';
COMMENT ON COLUMN marts.tower_service_monthly.village_code IS 'Kemendagri village code the inventory gives for the tower.';
COMMENT ON COLUMN marts.tower_service_monthly.district_code IS 'District of village_code (its code prefix), where the tower is counted.';
COMMENT ON COLUMN marts.tower_service_monthly.current_district_code IS 'That district expressed on the latest edition (marts.region_code_current), for harmonised figures.';
COMMENT ON COLUMN marts.tower_service_monthly.lat IS 'Tower latitude (WGS84).';
COMMENT ON COLUMN marts.tower_service_monthly.lon IS 'Tower longitude (WGS84).';
COMMENT ON COLUMN marts.tower_service_monthly.coverage_radius_km IS 'Coverage radius from the inventory, in km.';
COMMENT ON COLUMN marts.tower_service_monthly.tower_availability_pct IS 'tower_availability_pct for the month (marts.tower_availability_monthly); NULL when no KPI sample exists for the month.';

CREATE TABLE marts.village_connectivity_monthly (
    month_date                          DATE NOT NULL,
    village_code                        VARCHAR NOT NULL,
    village_name                        VARCHAR NOT NULL,
    kind                                VARCHAR,
    district_code                       VARCHAR NOT NULL,
    current_district_code               VARCHAR,
    population                          BIGINT,
    attributes_year                     INTEGER,
    lat                                 DOUBLE,
    lon                                 DOUBLE,
    nearest_tower_id                    VARCHAR,
    nearest_tower_distance_km           DOUBLE,
    covered_by_tower                    BOOLEAN,
    partner_service                     BOOLEAN NOT NULL,
    blank_spot                          BOOLEAN,
    covered_min_tower_availability_pct  DOUBLE NOT NULL
);
COMMENT ON TABLE marts.village_connectivity_monthly IS 'One row per village valid at any time in the local month: tower coverage, partner service and blank-spot status (true/false/unknown = NULL), docs/indicators.md.';
COMMENT ON COLUMN marts.village_connectivity_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.village_code IS 'Kemendagri village code valid in the month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.village_name IS 'Village name in the latest edition version valid in the month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.kind IS 'desa or kelurahan.';
COMMENT ON COLUMN marts.village_connectivity_monthly.district_code IS 'District of the village in that month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.current_district_code IS 'The district the village belongs to in the latest edition (through code succession).';
COMMENT ON COLUMN marts.village_connectivity_monthly.population IS 'Population from the village attributes of the latest year <= the month''s year.';
COMMENT ON COLUMN marts.village_connectivity_monthly.attributes_year IS 'Year of the attributes used for population and centroid.';
COMMENT ON COLUMN marts.village_connectivity_monthly.lat IS 'Village centroid latitude (WGS84); NULL when unknown.';
COMMENT ON COLUMN marts.village_connectivity_monthly.lon IS 'Village centroid longitude (WGS84); NULL when unknown.';
COMMENT ON COLUMN marts.village_connectivity_monthly.nearest_tower_id IS 'Nearest tower in service on the month''s last day (any availability).';
COMMENT ON COLUMN marts.village_connectivity_monthly.nearest_tower_distance_km IS 'Great-circle distance to that tower, km (haversine, sphere of radius 6371.0 km).';
COMMENT ON COLUMN marts.village_connectivity_monthly.covered_by_tower IS 'covered_by_tower: a tower in service on the month''s last day lies within its coverage_radius_km and has monthly availability >= the threshold; NULL when the village has no centroid.';
COMMENT ON COLUMN marts.village_connectivity_monthly.partner_service IS 'partner_service: a PLN partner site in the village has an active period (activated_at to terminated_at) overlapping the month.';
COMMENT ON COLUMN marts.village_connectivity_monthly.blank_spot IS 'blank_spot: false when partner_service, else NOT covered_by_tower (NULL when that is unknown).';
COMMENT ON COLUMN marts.village_connectivity_monthly.covered_min_tower_availability_pct IS 'The availability threshold in force for covered_by_tower (inclusive).';

CREATE TABLE marts.district_connectivity_monthly (
    month_date                   DATE NOT NULL,
    district_code                VARCHAR NOT NULL,
    district_name                VARCHAR,
    villages_total               BIGINT,
    villages_blank_spot          BIGINT,
    villages_unknown             BIGINT,
    villages_connected_pct       DOUBLE,
    population_total             BIGINT,
    population_blank_spot        BIGINT,
    population_blank_spot_pct    DOUBLE,
    towers_in_service            BIGINT,
    tower_availability_pct       DOUBLE
);
COMMENT ON TABLE marts.district_connectivity_monthly IS 'District indicators per local month, on the district codes valid in that month (docs/indicators.md).';
COMMENT ON COLUMN marts.district_connectivity_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.district_connectivity_monthly.district_code IS 'Kemendagri district code valid in the month.';
COMMENT ON COLUMN marts.district_connectivity_monthly.district_name IS 'District name in that month.';
COMMENT ON COLUMN marts.district_connectivity_monthly.villages_total IS 'Villages valid in the month.';
COMMENT ON COLUMN marts.district_connectivity_monthly.villages_blank_spot IS 'Villages with blank_spot = true.';
COMMENT ON COLUMN marts.district_connectivity_monthly.villages_unknown IS 'Villages with blank_spot unknown (no centroid and no partner service).';
COMMENT ON COLUMN marts.district_connectivity_monthly.villages_connected_pct IS '(villages_total - villages_blank_spot - villages_unknown) / (villages_total - villages_unknown) x 100; NULL when every village is unknown.';
COMMENT ON COLUMN marts.district_connectivity_monthly.population_total IS 'Population of all the area''s villages (attributes of the latest year <= the month''s year).';
COMMENT ON COLUMN marts.district_connectivity_monthly.population_blank_spot IS 'Population of the blank-spot villages.';
COMMENT ON COLUMN marts.district_connectivity_monthly.population_blank_spot_pct IS 'population_blank_spot / population_total x 100.';
COMMENT ON COLUMN marts.district_connectivity_monthly.towers_in_service IS 'Towers in service on the month''s last day, counted in the district of the tower''s village_code.';
COMMENT ON COLUMN marts.district_connectivity_monthly.tower_availability_pct IS 'Mean of the monthly tower_availability_pct of those towers (towers without KPI data left out).';

CREATE TABLE marts.regency_connectivity_monthly (
    month_date                   DATE NOT NULL,
    regency_code                 VARCHAR NOT NULL,
    regency_name                 VARCHAR,
    villages_total               BIGINT,
    villages_blank_spot          BIGINT,
    villages_unknown             BIGINT,
    villages_connected_pct       DOUBLE,
    population_total             BIGINT,
    population_blank_spot        BIGINT,
    population_blank_spot_pct    DOUBLE,
    towers_in_service            BIGINT,
    tower_availability_pct       DOUBLE
);
COMMENT ON TABLE marts.regency_connectivity_monthly IS 'Regency indicators per local month (docs/indicators.md), over all the regency''s villages and towers.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.regency_code IS 'Kemendagri regency code (the region setting, default 64.02).';
COMMENT ON COLUMN marts.regency_connectivity_monthly.regency_name IS 'Regency name in the latest edition.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.villages_total IS 'Villages valid in the month.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.villages_blank_spot IS 'Villages with blank_spot = true.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.villages_unknown IS 'Villages with blank_spot unknown (no centroid and no partner service).';
COMMENT ON COLUMN marts.regency_connectivity_monthly.villages_connected_pct IS '(villages_total - villages_blank_spot - villages_unknown) / (villages_total - villages_unknown) x 100; NULL when every village is unknown.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.population_total IS 'Population of all the area''s villages (attributes of the latest year <= the month''s year).';
COMMENT ON COLUMN marts.regency_connectivity_monthly.population_blank_spot IS 'Population of the blank-spot villages.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.population_blank_spot_pct IS 'population_blank_spot / population_total x 100.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.towers_in_service IS 'Towers in service on the month''s last day, counted in the district of the tower''s village_code.';
COMMENT ON COLUMN marts.regency_connectivity_monthly.tower_availability_pct IS 'Mean of the monthly tower_availability_pct of those towers (towers without KPI data left out).';

CREATE TABLE marts.district_connectivity_monthly_harmonised (
    month_date                   DATE NOT NULL,
    district_code                VARCHAR NOT NULL,
    district_name                VARCHAR,
    harmonised_to_edition_date   DATE NOT NULL,
    villages_total               BIGINT,
    villages_blank_spot          BIGINT,
    villages_unknown             BIGINT,
    villages_connected_pct       DOUBLE,
    population_total             BIGINT,
    population_blank_spot        BIGINT,
    population_blank_spot_pct    DOUBLE,
    towers_in_service            BIGINT,
    tower_availability_pct       DOUBLE
);
COMMENT ON TABLE marts.district_connectivity_monthly_harmonised IS 'HARMONISED: district indicators of every month re-expressed on the districts of the latest edition through core.region_code_succession, so a trend across a district split is one line per current district. Not the official figures of past months: see district_connectivity_monthly for those.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.month_date IS 'First day of the local (WITA) month.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.district_code IS 'District code in the latest edition (harmonised_to_edition_date).';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.district_name IS 'District name in the latest edition.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.harmonised_to_edition_date IS 'The edition whose districts the figures are expressed on.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.villages_total IS 'Villages valid in the month.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.villages_blank_spot IS 'Villages with blank_spot = true.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.villages_unknown IS 'Villages with blank_spot unknown (no centroid and no partner service).';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.villages_connected_pct IS '(villages_total - villages_blank_spot - villages_unknown) / (villages_total - villages_unknown) x 100; NULL when every village is unknown.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.population_total IS 'Population of all the area''s villages (attributes of the latest year <= the month''s year).';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.population_blank_spot IS 'Population of the blank-spot villages.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.population_blank_spot_pct IS 'population_blank_spot / population_total x 100.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.towers_in_service IS 'Towers in service on the month''s last day, counted in the current district of the tower''s village_code.';
COMMENT ON COLUMN marts.district_connectivity_monthly_harmonised.tower_availability_pct IS 'Mean of the monthly tower_availability_pct of those towers (towers without KPI data left out).';
CREATE TABLE marts.indicator_metadata (
    indicator        VARCHAR NOT NULL,
    label_id         VARCHAR NOT NULL,
    label_en         VARCHAR NOT NULL,
    definition       VARCHAR NOT NULL,
    formula          VARCHAR NOT NULL,
    unit             VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    sources          VARCHAR NOT NULL,
    marts            VARCHAR NOT NULL,
    threshold_name   VARCHAR,
    threshold_value  DOUBLE
);
COMMENT ON TABLE marts.indicator_metadata IS 'One row per published indicator (docs/indicators.md): what it means, how it is computed, and the thresholds in force when the marts were built.';
COMMENT ON COLUMN marts.indicator_metadata.indicator IS 'Indicator name, as it appears as a column in the marts.';
COMMENT ON COLUMN marts.indicator_metadata.label_id IS 'Short label in Bahasa Indonesia.';
COMMENT ON COLUMN marts.indicator_metadata.label_en IS 'Short label in English.';
COMMENT ON COLUMN marts.indicator_metadata.definition IS 'What the indicator measures.';
COMMENT ON COLUMN marts.indicator_metadata.formula IS 'How it is computed.';
COMMENT ON COLUMN marts.indicator_metadata.unit IS 'Unit of the value.';
COMMENT ON COLUMN marts.indicator_metadata.period IS 'Periods it is published for (local WITA days and calendar months).';
COMMENT ON COLUMN marts.indicator_metadata.sources IS 'Source data it is computed from.';
COMMENT ON COLUMN marts.indicator_metadata.marts IS 'Marts that carry it.';
COMMENT ON COLUMN marts.indicator_metadata.threshold_name IS 'Setting that parameterises it, if any.';
COMMENT ON COLUMN marts.indicator_metadata.threshold_value IS 'Value of that setting in force when the marts were built.';
