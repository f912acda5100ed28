-- The registry history (type 2), derived from every loaded edition in effective-date
-- order, so an edition that arrives late lands in its place. An edition speaks only
-- for its scope (the codes of its top level and below): a regency-only edition does
-- not end the regions of other regencies. Replaces the whole table: the history is
-- rebuilt, not patched.
DELETE FROM core.dim_region;

INSERT INTO core.dim_region BY NAME
WITH editions AS (
    SELECT edition_date, code, level,
           length(code) - length(replace(code, '.', '')) AS depth
    FROM core.region_edition
),
scope AS (
    SELECT edition_date, code AS root
    FROM editions
    QUALIFY depth = min(depth) OVER (PARTITION BY edition_date)
),
codes AS (SELECT DISTINCT code FROM core.region_edition),
unknown AS (
{{ refused }}
),
-- Every (code, edition covering it): present with its attributes, or absent. A code
-- whose row the edition's load quarantined is neither: that edition says nothing of it.
observed AS (
    SELECT c.code, s.edition_date, r.name, r.level, r.parent_code, r.kind, r.load_id,
           r.code IS NOT NULL AS present
    FROM codes AS c
    JOIN scope AS s ON c.code = s.root OR starts_with(c.code, s.root || '.')
    LEFT JOIN core.region_edition AS r ON r.code = c.code AND r.edition_date = s.edition_date
    ANTI JOIN unknown AS u ON u.code = c.code AND u.edition_date = s.edition_date
),
changes AS (
    SELECT *,
           CASE WHEN present THEN concat_ws('|', name, level, parent_code, kind) END AS state,
           lead(edition_date) OVER w AS next_edition_date,
           CASE WHEN present AND (lag(present) OVER w IS DISTINCT FROM TRUE
                                  OR lag(concat_ws('|', name, level, parent_code, kind)) OVER w
                                     IS DISTINCT FROM concat_ws('|', name, level, parent_code, kind))
                THEN 1 ELSE 0 END AS starts_version
    FROM observed
    WINDOW w AS (PARTITION BY code ORDER BY edition_date)
),
versions AS (
    SELECT *, sum(starts_version) OVER (PARTITION BY code ORDER BY edition_date) AS version_no
    FROM changes
)
SELECT
    code,
    arg_min(name, edition_date) AS name,
    arg_min(level, edition_date) AS level,
    arg_min(parent_code, edition_date) AS parent_code,
    arg_min(kind, edition_date) AS kind,
    min(edition_date) AS valid_from,
    arg_max_null(next_edition_date, edition_date) AS valid_to,
    min(edition_date) AS edition_date,
    arg_min(load_id, edition_date) AS load_id
FROM versions
WHERE present
GROUP BY code, version_no
ORDER BY code, valid_from;
