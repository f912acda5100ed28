-- Typed rows of one Kemendagri edition. Level, parent and kind follow from the code's shape.
WITH src AS (
    SELECT _line,
           nullif(trim(kode), '') AS code,
           nullif(trim(nama), '') AS name
    FROM {{ raw }}
)
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    DATE '{{ edition }}' AS edition_date,
    code,
    name,
    CASE
        WHEN regexp_matches(code, '^\d{2}$') THEN 1
        WHEN regexp_matches(code, '^\d{2}\.\d{2}$') THEN 2
        WHEN regexp_matches(code, '^\d{2}\.\d{2}\.\d{2}$') THEN 3
        WHEN regexp_matches(code, '^\d{2}\.\d{2}\.\d{2}\.\d{4}$') THEN 4
    END AS level,
    CASE WHEN strpos(code, '.') > 0 THEN regexp_replace(code, '\.[^.]*$', '') END AS parent_code,
    CASE
        WHEN regexp_matches(code, '^\d{2}\.\d{2}\.\d{2}\.1\d{3}$') THEN 'kelurahan'
        WHEN regexp_matches(code, '^\d{2}\.\d{2}\.\d{2}\.2\d{3}$') THEN 'desa'
    END AS kind
FROM src
