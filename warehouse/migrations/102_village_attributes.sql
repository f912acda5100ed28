CREATE TABLE core.village_attributes (
    year         INTEGER NOT NULL,
    code         VARCHAR NOT NULL,
    population   BIGINT NOT NULL,
    households   BIGINT NOT NULL,
    area_km2     DOUBLE NOT NULL,
    lat          DOUBLE,
    lon          DOUBLE,
    load_id      VARCHAR NOT NULL
);
COMMENT ON TABLE core.village_attributes IS 'Village population, households, area and centroid by year (registry/attributes/<year>.csv); population indicators use the latest year <= the month''s year.';
COMMENT ON COLUMN core.village_attributes.year IS 'Year the figures describe (the file name <year>.csv).';
COMMENT ON COLUMN core.village_attributes.code IS 'Kemendagri village code (core.dim_region).';
COMMENT ON COLUMN core.village_attributes.population IS 'Residents (persons).';
COMMENT ON COLUMN core.village_attributes.households IS 'Households.';
COMMENT ON COLUMN core.village_attributes.area_km2 IS 'Area in square kilometres.';
COMMENT ON COLUMN core.village_attributes.lat IS 'Centroid latitude, WGS84 degrees; NULL when unknown.';
COMMENT ON COLUMN core.village_attributes.lon IS 'Centroid longitude, WGS84 degrees; NULL when unknown.';
COMMENT ON COLUMN core.village_attributes.load_id IS 'Load that published the row (audit.load).';
