-- @partition whole
-- @grain code
-- Every village and district code mapped to the code of the same place in the latest
-- edition: renames keep their code, moves are followed old_code → new_code, in chains.
-- Codes with the same place_code name one place in different editions: that is how a
-- code recorded in one edition is resolved to the code valid in another month.
WITH RECURSIVE
current_rows AS (SELECT * FROM core.dim_region WHERE valid_to IS NULL),
codes AS (
    SELECT DISTINCT code, level FROM core.dim_region WHERE level IN ('district', 'village')
),
moves AS (
    SELECT DISTINCT old_code, new_code FROM core.region_code_succession
    WHERE change_kind = 'moved' AND old_code IS NOT NULL AND new_code IS NOT NULL
),
walk(code, level, cur, path) AS (
    SELECT code, level, code, [code] FROM codes
    UNION ALL
    SELECT w.code, w.level, m.new_code, list_append(w.path, m.new_code)
    FROM walk AS w JOIN moves AS m ON m.old_code = w.cur
    WHERE NOT list_contains(w.path, m.new_code)
),
resolved AS (
    SELECT w.code, w.level, c.code AS current_code, w.path,
           CASE WHEN w.level = 'village' THEN c.parent_code ELSE c.code END AS current_district_code
    FROM walk AS w LEFT JOIN current_rows AS c ON c.code = w.cur AND c.level = w.level
    QUALIFY row_number() OVER (
        PARTITION BY w.code ORDER BY (c.code IS NOT NULL) DESC, len(w.path) DESC) = 1
)
SELECT code, level, current_code, current_district_code,
       path,
       path[-1] AS place_code,
       (SELECT max(valid_from) FROM core.dim_region) AS current_edition_date
FROM resolved
