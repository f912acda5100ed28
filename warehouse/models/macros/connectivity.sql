{% from 'macros/exact.sql' import exact_avg %}
{#- Area indicators (docs/indicators.md, district and regency) over village and tower rows,
    grouped by `key`: used by the district, regency and harmonised marts alike. -#}
{% macro area_indicators(villages, towers, key) -%}
vagg AS (
    SELECT {{ key }} AS area_code,
           count(*) AS villages_total,
           count(*) FILTER (WHERE blank_spot) AS villages_blank_spot,
           count(*) FILTER (WHERE blank_spot IS NULL) AS villages_unknown,
           sum(population) AS population_total,
           -- unknown when no village of the area has a population, not zero
           CASE WHEN sum(population) IS NOT NULL
                THEN coalesce(sum(population) FILTER (WHERE blank_spot), 0) END
               AS population_blank_spot
    FROM {{ villages }}
    GROUP BY 1
),
tagg AS (
    SELECT {{ key }} AS area_code,
           count(*) AS towers_in_service,
           {{ exact_avg('tower_availability_pct') }} AS tower_availability_pct
    FROM {{ towers }}
    GROUP BY 1
),
area AS (
    SELECT coalesce(v.area_code, t.area_code) AS area_code,
           coalesce(v.villages_total, 0) AS villages_total,
           coalesce(v.villages_blank_spot, 0) AS villages_blank_spot,
           coalesce(v.villages_unknown, 0) AS villages_unknown,
           100.0 * (v.villages_total - v.villages_blank_spot - v.villages_unknown)
               / nullif(v.villages_total - v.villages_unknown, 0) AS villages_connected_pct,
           v.population_total,
           v.population_blank_spot,
           100.0 * v.population_blank_spot / nullif(v.population_total, 0)
               AS population_blank_spot_pct,
           coalesce(t.towers_in_service, 0) AS towers_in_service,
           t.tower_availability_pct
    FROM vagg AS v
    FULL JOIN tagg AS t ON v.area_code = t.area_code
    WHERE coalesce(v.area_code, t.area_code) IS NOT NULL
)
{%- endmacro %}

{#- The local month's bounds: dates, and UTC instants of its first and after-last moment. -#}
{% macro month_bounds(month, tz) -%}
bounds AS (
    SELECT DATE '{{ month }}' AS month_date,
           CAST(last_day(DATE '{{ month }}') AS DATE) AS last_date,
           timezone('{{ tz }}', CAST(DATE '{{ month }}' AS TIMESTAMP)) AS month_start_at,
           timezone('{{ tz }}', CAST(last_day(DATE '{{ month }}') + 1 AS TIMESTAMP)) AS month_end_at
)
{%- endmacro %}

{#- The villages valid at any time in the month (needs `bounds`), of the regency when
    `region_code` is given (a province, a regency or `national`); a village renamed within the month keeps its latest version. -#}
{% macro month_villages(region_code=None) -%}
villages AS (
    SELECT r.code, r.name, r.kind, r.parent_code,
           r.valid_to IS NULL OR r.valid_to > b.last_date AS valid_on_last_day
    FROM core.dim_region AS r CROSS JOIN bounds AS b
    WHERE r.level = 'village'
      {%- if region_code %} AND {{ in_region('r.code', region_code) }}{% endif %}
      AND r.valid_from <= b.last_date AND (r.valid_to IS NULL OR r.valid_to > b.month_date)
    QUALIFY row_number() OVER (PARTITION BY r.code ORDER BY r.valid_from DESC) = 1
)
{%- endmacro %}

{#- Rows of `source` with their village code `code`, of whichever edition, resolved through
    the code succession (either way: `places` is marts.region_code_current) to each village
    code valid in the month (the CTE `villages`) that names the same place: `month_code`,
    its district `month_district_code`, `exact` when it is the recorded code itself, and
    `valid_on_last_day`.
    A code no edition knows, or a place without a code in the month, resolves to nothing. -#}
{% macro in_month(source, code, places) -%}
SELECT s.*, v.code AS month_code, v.parent_code AS month_district_code,
       v.code = s.{{ code }} AS exact, v.valid_on_last_day
FROM {{ source }} AS s
JOIN {{ places }} AS a ON a.code = s.{{ code }} AND a.level = 'village'
JOIN {{ places }} AS p ON p.place_code = a.place_code AND p.level = 'village'
JOIN villages AS v ON v.code = p.code
{%- endmacro %}

{#- The month's input completeness (marts.input_completeness_monthly) that every
    connectivity mart of the month carries beside its indicators: select `completeness.*`. -#}
{% macro completeness(table, month) -%}
(SELECT tower_kpi_days_loaded_pct, tower_inventory_date, partner_sites_pulled_to,
        partner_outages_pulled_through_month_end, partner_sites_unresolved, towers_unresolved
 FROM {{ table }} WHERE month_date = DATE '{{ month }}') AS completeness
{%- endmacro %}

{#- Partner sites (their latest version) whose active period overlaps the month (needs `bounds`). -#}
{% macro active_sites() -%}
active_sites AS (
    SELECT s.site_id, s.village_code
    FROM core.dim_partner_site AS s CROSS JOIN bounds AS b
    WHERE s.valid_to_at IS NULL AND s.activated_at IS NOT NULL
      AND s.activated_at < b.month_end_at
      AND (s.terminated_at IS NULL OR s.terminated_at > b.month_start_at)
)
{%- endmacro %}

{#- A code column `column` is in the run's region (KONEKTIVITAS_REGION_CODE: a province,
    a regency, or `national`). -#}
{% macro in_region(column, region_code) -%}
{%- if region_code == 'national' %}TRUE{% else %}{{ column }} LIKE '{{ region_code }}.%'{% endif -%}
{%- endmacro %}

{#- The month's area indicators per area of the level whose codes are `width` characters
    long (2: province, 5: regency), over the village mart `villages` and the towers of
    `towers` recorded in the region, with the area's latest name. Only areas whole in the
    region: a regency run has no province rows. -#}
{% macro region_areas(month, region_code, width, villages, towers, completeness_table) -%}
WITH v AS (SELECT *, left(village_code, {{ width }}) AS area_key
           FROM {{ villages }} WHERE month_date = DATE '{{ month }}'),
t AS (SELECT *, left(inventory_village_code, {{ width }}) AS area_key
      FROM {{ towers }} WHERE month_date = DATE '{{ month }}'
        AND {{ in_region('inventory_village_code', region_code) }}),
{{ area_indicators('v', 't', 'area_key') }},
names AS (
    SELECT code, name FROM core.dim_region WHERE length(code) = {{ width }}
    QUALIFY row_number() OVER (PARTITION BY code ORDER BY valid_from DESC) = 1
)
SELECT DATE '{{ month }}' AS month_date, area.area_code, names.name AS area_name,
       area.* EXCLUDE (area_code),
       completeness.*
FROM area LEFT JOIN names ON names.code = area.area_code
CROSS JOIN {{ completeness(completeness_table, month) }}
WHERE {{ 'TRUE' if region_code == 'national' or region_code | length <= width else 'FALSE' }}
{%- endmacro %}
