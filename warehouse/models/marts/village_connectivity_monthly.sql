-- @partition month month_date
-- @column covered_by_tower Here: the threshold in force is covered_min_tower_availability_pct.
-- @grain month_date, village_code
-- covered_by_tower, partner_service and blank_spot per village and local month (docs/indicators.md).
-- Partner sites and village attributes recorded under a code of another edition count for
-- the village that code's place has in this month (through the code succession).
{% from 'macros/connectivity.sql' import active_sites, completeness, in_month, month_bounds, month_villages %}
{% from 'macros/coverage.sql' import tower_reach %}
WITH {{ month_bounds(month, tz) }},
{{ month_villages(region_code) }},
inputs AS (
    SELECT * FROM {{ ref('input_completeness_monthly') }} WHERE month_date = DATE '{{ month }}'
),
attrs AS (
    -- the latest year <= the month's year, of any code of the village's place; the
    -- village's own code first within a year
    SELECT r.month_code AS code, r.year, r.population, r.lat, r.lon
    FROM ({{ in_month('core.village_attributes', 'code', ref('region_code_current')) }}) AS r
    CROSS JOIN bounds AS b
    WHERE r.year <= year(b.month_date)
    QUALIFY row_number() OVER (PARTITION BY r.month_code ORDER BY r.year DESC, r.exact DESC) = 1
),
towers AS (
    SELECT * FROM {{ ref('tower_service_monthly') }} WHERE month_date = DATE '{{ month }}'
),
placed AS MATERIALIZED (
    SELECT v.code, a.lat, a.lon
    FROM villages AS v
    JOIN attrs AS a ON a.code = v.code AND a.lat IS NOT NULL AND a.lon IS NOT NULL
),
sited AS MATERIALIZED (
    SELECT tower_id, lat, lon, coverage_radius_km, tower_availability_pct
    FROM towers WHERE lat IS NOT NULL AND lon IS NOT NULL
),
-- nearest tower and coverage, found through a grid prefilter ('cross_join': the definition
-- as written, for the test and the benchmark that compare the two)
{{ tower_reach('placed', 'sited', thresholds['covered_min_tower_availability_pct'],
               coverage | default('grid')) }},
{{ active_sites() }},
partner AS (
    SELECT DISTINCT month_code AS code
    FROM ({{ in_month('active_sites', 'village_code', ref('region_code_current')) }}) AS r
),
status AS (
    SELECT v.code,
           CASE WHEN a.lat IS NULL OR a.lon IS NULL OR NOT i.tower_inputs_present THEN NULL
                ELSE coalesce(tr.covered, FALSE) END AS covered_by_tower,
           CASE WHEN p.code IS NOT NULL THEN TRUE
                WHEN i.partner_inputs_present THEN FALSE END AS partner_service
    FROM villages AS v
    CROSS JOIN inputs AS i
    LEFT JOIN attrs AS a ON a.code = v.code
    LEFT JOIN tower_reach AS tr ON tr.code = v.code
    LEFT JOIN partner AS p ON p.code = v.code
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
       s.covered_by_tower,
       s.partner_service,
       -- three-valued: not a blank spot when either says so, one when both say so
       CASE WHEN s.partner_service OR s.covered_by_tower THEN FALSE
            WHEN s.partner_service IS NULL OR s.covered_by_tower IS NULL THEN NULL
            ELSE TRUE END AS blank_spot,
       {{ thresholds['covered_min_tower_availability_pct'] }} AS covered_min_tower_availability_pct,
       completeness.*
FROM villages AS v
CROSS JOIN bounds AS b
CROSS JOIN {{ completeness(ref('input_completeness_monthly'), month) }}
JOIN status AS s ON s.code = v.code
LEFT JOIN attrs AS a ON a.code = v.code
LEFT JOIN tower_reach AS tr ON tr.code = v.code
LEFT JOIN {{ ref('region_code_current') }} AS rc ON rc.code = v.code
