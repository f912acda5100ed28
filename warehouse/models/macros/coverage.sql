{#- Tower coverage of villages (docs/indicators.md, covered_by_tower): for every village of
    `places` (code, lat, lon) the nearest tower of `towers` (tower_id, lat, lon,
    coverage_radius_km, tower_availability_pct) and whether a tower in reach covers it.

    `method` 'cross_join' is the definition as written: every village against every tower.
    'grid' (what the marts use) gives the same rows without the cross join: villages and
    towers are bucketed into latitude/longitude cells at least as wide as the largest
    coverage radius, so a tower in reach is always in the village's 3x3 block of cells;
    the nearest tower, when none is in the first block, is looked for in blocks of cells
    four times as wide, level after level, and past the last level against every tower. -#}

{#- Great-circle distance in km on a sphere of radius 6371.0 km (haversine). -#}
{% macro haversine_km(lat1, lon1, lat2, lon2) -%}
2 * 6371.0 * asin(sqrt(
    pow(sin(radians({{ lat2 }} - {{ lat1 }}) / 2), 2)
    + cos(radians({{ lat1 }})) * cos(radians({{ lat2 }})) * pow(sin(radians({{ lon2 }} - {{ lon1 }}) / 2), 2)
))
{%- endmacro %}

{#- Village x tower pairs with their distance; `towers` may carry cell columns. -#}
{% macro pairs(places, towers, on=None) -%}
SELECT p.code, t.tower_id, t.coverage_radius_km, t.tower_availability_pct,
       {{ haversine_km('p.lat', 'p.lon', 't.lat', 't.lon') }} AS distance_km
FROM {{ places }} AS p
{% if on %}JOIN {{ towers }} AS t ON {{ on }}{% else %}CROSS JOIN {{ towers }} AS t{% endif %}
{%- endmacro %}

{#- Per village: the nearest tower (the lowest id among equally near ones) and its distance. -#}
{% macro nearest(pairs_sql) -%}
SELECT code, arg_min(tower_id, (distance_km, tower_id)) AS nearest_tower_id,
       min(distance_km) AS nearest_tower_distance_km
FROM ({{ pairs_sql }}) GROUP BY code
{%- endmacro %}

{#- Per village: covered when some tower in reach is at or above the threshold; unknown
    (NULL) when none is but a tower in reach has no availability for the month. -#}
{% macro covered(pairs_sql, threshold) -%}
SELECT code,
       CASE WHEN bool_or(distance_km <= coverage_radius_km
                         AND tower_availability_pct >= {{ threshold }}) THEN TRUE
            WHEN bool_or(distance_km <= coverage_radius_km
                         AND tower_availability_pct IS NULL) THEN NULL
            ELSE FALSE END AS covered
FROM ({{ pairs_sql }}) GROUP BY code
{%- endmacro %}

{#- The CTE `tower_reach` (code, nearest_tower_id, nearest_tower_distance_km, covered):
    one row per village of `places` when `towers` has any row. -#}
{% macro tower_reach(places, towers, threshold, method='grid', levels=9) -%}
{#- method: 'cross_join', anything else the grid -#}
{%- if method == 'cross_join' -%}
reach_nearest AS ({{ nearest(pairs(places, towers)) }}),
reach_covered AS ({{ covered(pairs(places, towers), threshold) }}),
{%- else -%}
reach_grid AS (
    -- The first level's reach: the largest radius (at least 1 km), with a margin for
    -- rounding. Within `reach_km` of a village, a tower is at most reach_km / 6371
    -- radians of latitude away, and (haversine: hav(d) >= cos(lat1) cos(lat2) hav(dlon))
    -- at most 2 asin(sin(reach_km / 2 / 6371) / c) of longitude, c the smallest cosine
    -- of any latitude here (a degree of longitude shrinks away from the equator).
    SELECT greatest(coalesce(max(coverage_radius_km), 0), 1.0) * 1.0001 AS reach_km,
           greatest(cos(radians(greatest(coalesce(max(abs(lat)), 0),
                                         (SELECT coalesce(max(abs(lat)), 0) FROM {{ places }})))),
                    1e-9) AS min_cos
    FROM {{ towers }}
),
reach_levels AS (
    SELECT k, reach_km * pow(4, k) AS reach_km,
           degrees(reach_km * pow(4, k) / 6371.0) * 1.0001 AS lat_step,
           -- every longitude once the bound says nothing (longitudes in -180..180: a pair
           -- across the antimeridian, never one in Indonesia, is not looked for)
           CASE WHEN reach_km * pow(4, k) >= pi() * 6371.0
                  OR sin(reach_km * pow(4, k) / (2 * 6371.0)) >= min_cos THEN 360.0
                ELSE degrees(2 * asin(sin(reach_km * pow(4, k) / (2 * 6371.0)) / min_cos))
           END * 1.0001 AS lon_step
    FROM reach_grid CROSS JOIN range({{ levels }}) AS r(k)
),
{%- for k in range(levels) %}
reach_pending_{{ k }} AS MATERIALIZED (
    {%- if k == 0 %}
    SELECT code, lat, lon FROM {{ places }}
    {%- else %}
    SELECT * FROM reach_pending_{{ k - 1 }} ANTI JOIN reach_found_{{ k - 1 }} USING (code)
    {%- endif %}
),
reach_pairs_{{ k }} AS MATERIALIZED (
    -- each pending village in the 9 cells around its own, each tower in its cell
    {{ pairs(
        "(SELECT p.*, CAST(floor(p.lat / l.lat_step) AS BIGINT) + dy AS cy,
                 CAST(floor(p.lon / l.lon_step) AS BIGINT) + dx AS cx
          FROM reach_pending_" ~ k ~ " AS p
          CROSS JOIN reach_levels AS l CROSS JOIN range(-1, 2) AS y(dy) CROSS JOIN range(-1, 2) AS x(dx)
          WHERE l.k = " ~ k ~ ")",
        "(SELECT t.*, CAST(floor(t.lat / l.lat_step) AS BIGINT) AS cy,
                 CAST(floor(t.lon / l.lon_step) AS BIGINT) AS cx
          FROM " ~ towers ~ " AS t CROSS JOIN reach_levels AS l WHERE l.k = " ~ k ~ ")",
        on="t.cy = p.cy AND t.cx = p.cx") }}
),
reach_found_{{ k }} AS MATERIALIZED (
    -- exact only when the nearest tower found is within the level's reach: a nearer
    -- tower would have been in the block
    SELECT n.* FROM ({{ nearest('SELECT * FROM reach_pairs_' ~ k) }}) AS n
    CROSS JOIN reach_levels AS l
    WHERE l.k = {{ k }} AND n.nearest_tower_distance_km <= l.reach_km
),
{%- endfor %}
reach_nearest AS (
    {%- for k in range(levels) %}
    SELECT * FROM reach_found_{{ k }} UNION ALL
    {%- endfor %}
    {{ nearest(pairs("(SELECT * FROM reach_pending_" ~ (levels - 1)
                     ~ " ANTI JOIN reach_found_" ~ (levels - 1) ~ " USING (code))", towers)) }}
),
-- every tower in reach of a village is in its first block
reach_covered AS ({{ covered('SELECT * FROM reach_pairs_0', threshold) }}),
{%- endif %}
tower_reach AS (
    SELECT n.code, n.nearest_tower_id, n.nearest_tower_distance_km,
           -- no tower in any village's first block: none in reach
           CASE WHEN c.code IS NULL THEN FALSE ELSE c.covered END AS covered
    FROM reach_nearest AS n LEFT JOIN reach_covered AS c USING (code)
)
{%- endmacro %}
