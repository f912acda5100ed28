-- The registry as a history: every loaded Kemendagri edition is kept whole in
-- core.region_edition; core.dim_region and core.region_code_succession are derived
-- from all of them, so the order in which editions arrive does not matter.
CREATE TABLE core.region_edition (
    edition_date  DATE NOT NULL,
    code          VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,
    parent_code   VARCHAR,
    kind          VARCHAR,
    load_id       VARCHAR NOT NULL
);
COMMENT ON TABLE core.region_edition IS 'Every Kemendagri edition as delivered (valid rows only), one partition per effective date; core.dim_region and core.region_code_succession are derived from it.';
COMMENT ON COLUMN core.region_edition.edition_date IS 'Effective date of the edition (the file name <effective-date>.csv).';
COMMENT ON COLUMN core.region_edition.code IS 'Kemendagri region code, dotted.';
COMMENT ON COLUMN core.region_edition.name IS 'Name as spelled in this edition.';
COMMENT ON COLUMN core.region_edition.level IS 'province, regency, district or village, from the code''s shape.';
COMMENT ON COLUMN core.region_edition.parent_code IS 'Code of the enclosing region; NULL for a province.';
COMMENT ON COLUMN core.region_edition.kind IS 'For villages: desa (code 2xxx) or kelurahan (code 1xxx).';
COMMENT ON COLUMN core.region_edition.load_id IS 'Load that published this edition (audit.load).';

COMMENT ON COLUMN core.dim_region.valid_from IS 'First day this version of the region is in force: the effective date of the first edition that lists it so.';
COMMENT ON COLUMN core.dim_region.valid_to IS 'Effective date of the first later edition covering the region that lists it differently or not at all (exclusive); NULL while current.';
COMMENT ON COLUMN core.dim_region.edition_date IS 'Effective date of the edition this version came from (the first edition listing it so).';
COMMENT ON COLUMN core.dim_region.load_id IS 'Load of the edition this version came from (audit.load).';

CREATE TABLE core.region_code_succession (
    from_edition_date  DATE NOT NULL,
    to_edition_date    DATE NOT NULL,
    level              VARCHAR NOT NULL,
    change_kind        VARCHAR NOT NULL,
    old_code           VARCHAR,
    new_code           VARCHAR,
    old_name           VARCHAR,
    new_name           VARCHAR,
    old_parent_code    VARCHAR,
    new_parent_code    VARCHAR,
    method             VARCHAR NOT NULL,
    score              DOUBLE,
    note               VARCHAR
);
COMMENT ON TABLE core.region_code_succession IS 'What changed between consecutive Kemendagri editions: which old code became which new code (renamed, moved), and which codes are new or ended. Old codes feed new ones through moved rows.';
COMMENT ON COLUMN core.region_code_succession.from_edition_date IS 'Effective date of the earlier edition of the pair.';
COMMENT ON COLUMN core.region_code_succession.to_edition_date IS 'Effective date of the later edition: the day the change takes effect.';
COMMENT ON COLUMN core.region_code_succession.level IS 'province, regency, district or village.';
COMMENT ON COLUMN core.region_code_succession.change_kind IS 'renamed (same code, new name), moved (same place under a new code, usually a new or different district), new (code with no predecessor) or ended (code with no successor).';
COMMENT ON COLUMN core.region_code_succession.old_code IS 'Code in the earlier edition; NULL for new.';
COMMENT ON COLUMN core.region_code_succession.new_code IS 'Code in the later edition; NULL for ended.';
COMMENT ON COLUMN core.region_code_succession.old_name IS 'Name in the earlier edition.';
COMMENT ON COLUMN core.region_code_succession.new_name IS 'Name in the later edition.';
COMMENT ON COLUMN core.region_code_succession.old_parent_code IS 'Enclosing region of the old code.';
COMMENT ON COLUMN core.region_code_succession.new_parent_code IS 'Enclosing region of the new code.';
COMMENT ON COLUMN core.region_code_succession.method IS 'How old and new were linked: code (same code), name (equal normalised names, unique within the regency), similarity (closest normalised name above the threshold, unique both ways) or none (new, ended).';
COMMENT ON COLUMN core.region_code_succession.score IS 'Name similarity of the link, 0 to 1 (1 = equal after normalisation); NULL for new and ended.';
COMMENT ON COLUMN core.region_code_succession.note IS 'Why a code stayed new or ended although a similar name exists (ambiguous candidates), for review.';

-- The registry as of any day. A view, not a table macro, because DuckLake stores no
-- macros; the day is a session variable (today when unset):
--   SET VARIABLE as_of = DATE '2021-01-01';
--   SELECT * FROM core.region_as_of;
CREATE VIEW core.region_as_of AS
    SELECT * FROM core.dim_region
    WHERE valid_from <= coalesce(CAST(getvariable('as_of') AS DATE), current_date)
      AND (valid_to IS NULL OR valid_to > coalesce(CAST(getvariable('as_of') AS DATE), current_date));
COMMENT ON VIEW core.region_as_of IS 'The registry in force on one day: the core.dim_region versions (same columns) with valid_from <= day < valid_to (or valid_to NULL). The day is the session variable as_of (SET VARIABLE as_of = DATE ''2021-01-01''), today when unset.';
