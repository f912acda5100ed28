-- One Kemendagri edition's valid rows, as kept in core.region_edition.
SELECT
    DATE '{{ partition_key }}' AS edition_date,
    code,
    name,
    CASE level WHEN 1 THEN 'province' WHEN 2 THEN 'regency' WHEN 3 THEN 'district'
               ELSE 'village' END AS level,
    parent_code,
    kind,
    '{{ load_id }}' AS load_id
FROM {{ valid }}
