-- covered_by_tower, partner_service and blank_spot per village and local month (docs/indicators.md).
{% from 'macros/connectivity.sql' import month_bounds %}
WITH {{ month_bounds(month, tz) }},
villages AS (
    -- Valid at any time in the month; a village renamed within it keeps its latest version.
    SELECT r.code, r.name, r.kind, r.parent_code
    FROM core.dim_region AS r CROSS JOIN bounds AS b
    WHERE r.level = 'village' AND r.code LIKE '{{ region_code }}.%'
      AND r.valid_from <= b.last_date AND (r.valid_to IS NULL OR r.valid_to > b.month_date)
    QUALIFY row_number() OVER (PARTITION BY r.code ORDER BY r.valid_from DESC) = 1
),
attrs AS (
    SELECT a.code, a.year, a.population, a.lat, a.lon
    FROM core.village_attributes AS a CROSS JOIN bounds AS b
    WHERE a.year <= year(b.month_date)
    QUALIFY row_number() OVER (PARTITION BY a.code ORDER BY a.year DESC) = 1
),
towers AS (
    SELECT * FROM marts.tower_service_monthly WHERE month_date = DATE '{{ month }}'
),
distances AS (
    SELECT v.code, t.tower_id, t.coverage_radius_km, t.tower_availability_pct,
           2 * 6371.0 * asin(sqrt(
               pow(sin(radians(t.lat - a.lat) / 2), 2)
               + cos(radians(a.lat)) * cos(radians(t.lat)) * pow(sin(radians(t.lon - a.lon) / 2), 2)
           )) AS distance_km
    FROM villages AS v
    JOIN attrs AS a ON a.code = v.code AND a.lat IS NOT NULL AND a.lon IS NOT NULL
    CROSS JOIN towers AS t
    WHERE t.lat IS NOT NULL AND t.lon IS NOT NULL
),
tower_reach AS (
    SELECT code,
           arg_min(tower_id, distance_km) AS nearest_tower_id,
           min(distance_km) AS nearest_tower_distance_km,
           bool_or(distance_km <= coverage_radius_km
                   AND tower_availability_pct >= {{ min_availability_pct }}) AS covered
    FROM distances
    GROUP BY code
),
partner AS (
    -- The latest version of each site; its active period must overlap the local month.
    SELECT DISTINCT s.village_code AS code
    FROM core.dim_partner_site AS s CROSS JOIN bounds AS b
    WHERE s.valid_to_at IS NULL
      AND s.activated_at IS NOT NULL
      AND s.activated_at < b.month_end_at
      AND (s.terminated_at IS NULL OR s.terminated_at > b.month_start_at)
)
SELECT b.month_date,
       v.code AS village_code,
       v.name AS village_name,
       v.kind,
       v.parent_code AS district_code,
       rc.current_district_code,
       a.population,
       a.year AS attributes_year,
       a.lat,
       a.lon,
       tr.nearest_tower_id,
       tr.nearest_tower_distance_km,
       CASE WHEN a.lat IS NULL OR a.lon IS NULL THEN NULL
            ELSE coalesce(tr.covered, FALSE) END AS covered_by_tower,
       p.code IS NOT NULL AS partner_service,
       CASE WHEN p.code IS NOT NULL THEN FALSE
            WHEN a.lat IS NULL OR a.lon IS NULL THEN NULL
            ELSE NOT coalesce(tr.covered, FALSE) END AS blank_spot,
       {{ min_availability_pct }} AS covered_min_tower_availability_pct
FROM villages AS v
CROSS JOIN bounds AS b
LEFT JOIN attrs AS a ON a.code = v.code
LEFT JOIN tower_reach AS tr ON tr.code = v.code
LEFT JOIN partner AS p ON p.code = v.code
LEFT JOIN marts.region_code_current AS rc ON rc.code = v.code
