-- Partner sites waiting for a village (`waiting`: site_id, district_name, village_name,
-- updated_at as the partner wrote them), each with the registry villages valid on its
-- local updated_at day that it most resembles, best first (at most `limit`).
{%- from 'macros/parsing.sql' import local_timestamp %}
WITH w AS (
    SELECT *, normalise_name(district_name) AS dk, normalise_name(village_name) AS vk,
           CAST(timezone('{{ local_tz }}', {{ local_timestamp("nullif(trim(updated_at), '')") }}) AS DATE) AS d
    FROM {{ waiting }}
),
reg AS (
    SELECT v.code, v.name, p.name AS district, normalise_name(v.name) AS vk,
           normalise_name(p.name) AS dk, v.valid_from, v.valid_to
    FROM core.dim_region AS v JOIN core.dim_region AS p
      ON p.code = v.parent_code AND p.level = 'district'
     AND p.valid_from <= coalesce(v.valid_to, DATE '9999-12-31')
     AND (p.valid_to IS NULL OR p.valid_to > v.valid_from)
    WHERE v.level = 'village'
),
scored AS (
    -- name likeness, plus a bonus for the same district
    SELECT w.site_id, r.code, r.name, r.district,
           jaro_winkler_similarity(w.vk, r.vk) + CASE WHEN w.dk = r.dk THEN 0.2 ELSE 0 END AS score,
           (w.vk = r.vk AND w.dk = r.dk) AS exact
    FROM w JOIN reg AS r
      ON r.valid_from <= w.d AND (r.valid_to IS NULL OR r.valid_to > w.d)
)
SELECT w.site_id, w.district_name, w.village_name,
       CASE WHEN (SELECT count(*) FROM scored AS s WHERE s.site_id = w.site_id AND s.exact) > 1
            THEN 'ambiguous' ELSE 'unmatched' END AS reason,
       (SELECT list([code, name, district, CAST(round(score, 3) AS VARCHAR)]
                    ORDER BY exact DESC, score DESC, code)[1:{{ limit }}]
        FROM scored AS s WHERE s.site_id = w.site_id) AS candidates
FROM w ORDER BY w.site_id
