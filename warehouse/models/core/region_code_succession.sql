-- The input of core.region_code_succession: pipelines/registry/succession.py pairs ended and
-- new codes by name (in Python: small groups) and writes the table's rows.
-- Consecutive editions to compare, per scope root of the later edition: the earlier
-- edition is the latest one before it whose scope covers that root. Rows of both
-- editions within the root, side by side (old_* NULL: new code; new_* NULL: ended).
WITH editions AS (
    SELECT DISTINCT edition_date, code, length(code) - length(replace(code, '.', '')) AS depth
    FROM core.region_edition
),
scope AS (
    SELECT edition_date, code AS root FROM editions
    QUALIFY depth = min(depth) OVER (PARTITION BY edition_date)
),
pairs AS (
    SELECT n.edition_date AS to_edition_date, n.root,
           max(p.edition_date) AS from_edition_date
    FROM scope AS n
    JOIN scope AS p
      ON p.edition_date < n.edition_date
     AND (n.root = p.root OR starts_with(n.root, p.root || '.'))
    GROUP BY ALL
),
unknown AS (
{{ refused }}
),
-- A code whose row either edition quarantined is not compared: it neither ended nor is new.
old AS (
    SELECT pr.*, r.* EXCLUDE (edition_date, load_id)
    FROM pairs AS pr JOIN core.region_edition AS r
      ON r.edition_date = pr.from_edition_date
     AND (r.code = pr.root OR starts_with(r.code, pr.root || '.'))
    ANTI JOIN unknown AS u ON u.code = r.code AND u.edition_date = pr.to_edition_date
),
new AS (
    SELECT pr.*, r.* EXCLUDE (edition_date, load_id)
    FROM pairs AS pr JOIN core.region_edition AS r
      ON r.edition_date = pr.to_edition_date
     AND (r.code = pr.root OR starts_with(r.code, pr.root || '.'))
    ANTI JOIN unknown AS u ON u.code = r.code AND u.edition_date = pr.from_edition_date
)
SELECT
    coalesce(o.from_edition_date, n.from_edition_date) AS from_edition_date,
    coalesce(o.to_edition_date, n.to_edition_date) AS to_edition_date,
    coalesce(o.level, n.level) AS level,
    o.code AS old_code, n.code AS new_code,
    o.name AS old_name, n.name AS new_name,
    o.parent_code AS old_parent_code, n.parent_code AS new_parent_code
FROM old AS o
FULL JOIN new AS n
  ON o.code = n.code AND o.to_edition_date = n.to_edition_date AND o.root = n.root
ORDER BY to_edition_date, coalesce(o.code, n.code)
