-- BPS Master File Desa deliveries and their links to Kemendagri codes.
CREATE TABLE core.bps_region (
    delivery_date  DATE NOT NULL,
    level          VARCHAR NOT NULL,
    bps_code       VARCHAR NOT NULL,
    parent_code    VARCHAR,
    name           VARCHAR NOT NULL,
    load_id        VARCHAR NOT NULL
);
COMMENT ON TABLE core.bps_region IS 'BPS Master File Desa regions as delivered (registry/bps/<effective-date>/*.csv), one partition per delivery and level.';
COMMENT ON COLUMN core.bps_region.delivery_date IS 'Effective date of the delivery (its folder name).';
COMMENT ON COLUMN core.bps_region.level IS 'province, regency, district or village (from the file: provinces.csv, regencies.csv, districts.csv, villages.csv).';
COMMENT ON COLUMN core.bps_region.bps_code IS 'BPS code, undotted, on BPS''s own numbering (regency 6403, district 6403010, village 6403010001).';
COMMENT ON COLUMN core.bps_region.parent_code IS 'BPS code of the enclosing region; NULL for a province.';
COMMENT ON COLUMN core.bps_region.name IS 'Name as BPS spells it (upper case).';
COMMENT ON COLUMN core.bps_region.load_id IS 'Load that published the row (audit.load).';

CREATE TABLE core.bps_crosswalk (
    delivery_date      DATE NOT NULL,
    level              VARCHAR NOT NULL,
    bps_code           VARCHAR NOT NULL,
    bps_name           VARCHAR NOT NULL,
    bps_parent_code    VARCHAR,
    kemendagri_code    VARCHAR,
    kemendagri_name    VARCHAR,
    edition_date       DATE,
    status             VARCHAR NOT NULL,
    method             VARCHAR,
    score              DOUBLE,
    note               VARCHAR,
    built_at           TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.bps_crosswalk IS 'Each BPS region of each delivery linked to a Kemendagri code of the edition in force at the delivery date (the earliest edition if none was yet), top-down: regency, district, village within the matched district. Unmatched and ambiguous entries are listed, never guessed; config/bps_mapping.csv settles them.';
COMMENT ON COLUMN core.bps_crosswalk.delivery_date IS 'The BPS delivery (core.bps_region.delivery_date).';
COMMENT ON COLUMN core.bps_crosswalk.level IS 'province, regency, district or village.';
COMMENT ON COLUMN core.bps_crosswalk.bps_code IS 'BPS code.';
COMMENT ON COLUMN core.bps_crosswalk.bps_name IS 'BPS name.';
COMMENT ON COLUMN core.bps_crosswalk.bps_parent_code IS 'BPS code of the enclosing region.';
COMMENT ON COLUMN core.bps_crosswalk.kemendagri_code IS 'The linked Kemendagri code; NULL unless status is matched or mapped.';
COMMENT ON COLUMN core.bps_crosswalk.kemendagri_name IS 'Name of the linked code in the edition matched against.';
COMMENT ON COLUMN core.bps_crosswalk.edition_date IS 'Effective date of the Kemendagri edition matched against.';
COMMENT ON COLUMN core.bps_crosswalk.status IS 'matched (automatic), mapped (config/bps_mapping.csv), no_counterpart (the mapping file says none exists), unmatched, ambiguous, or out_of_scope (outside the area the edition covers).';
COMMENT ON COLUMN core.bps_crosswalk.method IS 'code (provinces share codes), name (equal normalised names, unique on both sides), similarity (closest normalised name, unique both ways, score >= 0.8) or mapping.';
COMMENT ON COLUMN core.bps_crosswalk.score IS 'Name similarity of the link, 0 to 1 (1 = equal after normalisation); NULL for mappings.';
COMMENT ON COLUMN core.bps_crosswalk.note IS 'For unmatched and ambiguous entries: the closest candidates and why none was taken; for mappings: the mapping file''s note.';
COMMENT ON COLUMN core.bps_crosswalk.built_at IS 'When the crosswalk was last rebuilt (UTC).';

CREATE TABLE audit.crosswalk_build (
    built_at        TIMESTAMPTZ NOT NULL,
    mapping_sha256  VARCHAR,
    rows_total      BIGINT NOT NULL,
    rows_linked     BIGINT NOT NULL,
    rows_open       BIGINT NOT NULL
);
COMMENT ON TABLE audit.crosswalk_build IS 'Each rebuild of core.bps_crosswalk and the mapping file it applied, so a changed mapping file is noticed and applied on the next run.';
COMMENT ON COLUMN audit.crosswalk_build.built_at IS 'When the crosswalk was rebuilt (UTC).';
COMMENT ON COLUMN audit.crosswalk_build.mapping_sha256 IS 'SHA-256 of config/bps_mapping.csv as applied; NULL when there was none.';
COMMENT ON COLUMN audit.crosswalk_build.rows_total IS 'Crosswalk rows written.';
COMMENT ON COLUMN audit.crosswalk_build.rows_linked IS 'Rows matched or mapped.';
COMMENT ON COLUMN audit.crosswalk_build.rows_open IS 'Rows unmatched or ambiguous: the list `konektivitas registry unmatched` prints.';
