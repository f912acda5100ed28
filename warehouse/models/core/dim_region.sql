-- The registry as a snapshot of the latest edition (history: see the registry issue).
SELECT
    code,
    name,
    CASE level WHEN 1 THEN 'province' WHEN 2 THEN 'regency' WHEN 3 THEN 'district'
               ELSE 'village' END AS level,
    parent_code,
    kind,
    edition_date AS valid_from,
    CAST(NULL AS DATE) AS valid_to,
    edition_date,
    load_id
FROM {{ valid }}
