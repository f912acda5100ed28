-- Villages per district in the current registry: desa, kelurahan and all.
SELECT
    d.code AS district_code,
    d.name AS district_name,
    count(v.code) AS villages_total,
    count(v.code) FILTER (WHERE v.kind = 'desa') AS villages_desa,
    count(v.code) FILTER (WHERE v.kind = 'kelurahan') AS villages_kelurahan
FROM core.dim_region AS d
LEFT JOIN core.dim_region AS v
    ON v.parent_code = d.code AND v.level = 'village' AND v.valid_to IS NULL
WHERE d.level = 'district' AND d.valid_to IS NULL
GROUP BY ALL
ORDER BY district_code
