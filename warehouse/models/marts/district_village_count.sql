-- @partition whole
-- @grain district_code
-- @table Villages per district in the current registry (desa, kelurahan, all).
-- @column district_code Kemendagri code of the district.
-- @column district_name Name of the district in the current edition.
-- @column villages_total Villages (desa and kelurahan) currently in the district.
-- @column villages_desa Villages of kind desa (code 2xxx).
-- @column villages_kelurahan Villages of kind kelurahan (code 1xxx).
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
