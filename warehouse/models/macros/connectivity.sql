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
           avg(tower_availability_pct) AS tower_availability_pct
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
