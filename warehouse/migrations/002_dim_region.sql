CREATE TABLE core.dim_region (
    code          VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,
    parent_code   VARCHAR,
    kind          VARCHAR,
    valid_from    DATE NOT NULL,
    valid_to      DATE,
    edition_date  DATE NOT NULL,
    load_id       VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_region IS 'Kemendagri regions (province, regency, district, village) as a history: one row per version of a region, valid from valid_from until valid_to (exclusive).';
COMMENT ON COLUMN core.dim_region.code IS 'Kemendagri region code, dotted (64.02.19.2001).';
COMMENT ON COLUMN core.dim_region.name IS 'Official name as spelled in the edition.';
COMMENT ON COLUMN core.dim_region.level IS 'province, regency, district or village, from the code''s shape.';
COMMENT ON COLUMN core.dim_region.parent_code IS 'Code of the enclosing region; NULL for a province.';
COMMENT ON COLUMN core.dim_region.kind IS 'For villages: desa (code 2xxx) or kelurahan (code 1xxx).';
COMMENT ON COLUMN core.dim_region.valid_from IS 'First day this version of the region is in force (the edition''s effective date).';
COMMENT ON COLUMN core.dim_region.valid_to IS 'First day it is no longer in force (exclusive); NULL while current.';
COMMENT ON COLUMN core.dim_region.edition_date IS 'Effective date of the edition the row came from.';
COMMENT ON COLUMN core.dim_region.load_id IS 'Load that published the row (audit.load).';
