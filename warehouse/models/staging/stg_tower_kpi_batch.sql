-- The staged KPI batch as validation and publish see it: the typed rows of
-- stg_tower_kpi with their line number (rowid + 2: the header is line 1) and what the
-- inventory in force says of each tower. A view, so the file is never rewritten to add
-- these; the join's build side is the day's towers only.
WITH towers AS (
    SELECT tower_id, row_number() OVER (ORDER BY tower_id) AS tower_no
    FROM core.dim_tower
    WHERE valid_from <= DATE '{{ day }}' AND (valid_to IS NULL OR valid_to > DATE '{{ day }}')
)
SELECT
    r.rowid + 2 AS _line,
    '{{ load_id }}' AS load_id,
    r.*,
    CASE WHEN r.tower_id IS NOT NULL THEN t.tower_no IS NOT NULL END AS tower_in_inventory,
    -- (tower, slot) as one exact integer for the duplicate rule; NULL when the row is
    -- quarantined for its tower or its ts anyway
    t.tower_no * 288 + r.slot AS slot_key
FROM {{ rows }} AS r
LEFT JOIN towers AS t ON t.tower_id = r.tower_id
