-- The current registry: the rows of the latest edition that passed validation.
SELECT
    code,
    name,
    CASE level WHEN 1 THEN 'province' WHEN 2 THEN 'regency' WHEN 3 THEN 'district'
               ELSE 'village' END AS level,
    parent_code,
    kind,
    edition_date,
    load_id
FROM {{ valid }}
