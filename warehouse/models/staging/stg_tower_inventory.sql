-- Typed rows of one inventory snapshot (docs/sources.md 2a). Failed casts are named, with
-- their text, in _cast_errors; numbers may carry a decimal comma.
{%- from 'macros/parsing.sql' import cast_errors, decimal_number %}
{%- set numbers = ["lat", "lon", "height_m", "coverage_radius_km"] %}
{%- set dates = ["commissioned_on", "decommissioned_on"] %}
{%- set checks = [] %}
{%- for col in numbers + dates %}{% set _ = checks.append((col, col ~ "_text", col)) %}{% endfor %}
WITH src AS (
    SELECT _line,
           nullif(trim(tower_id), '') AS tower_id,
           nullif(trim(name), '') AS name,
           nullif(trim(operator), '') AS operator,
           nullif(trim(village_code), '') AS village_code,
           upper(nullif(trim(technology), '')) AS technology,
           {%- for col in numbers + dates %}
           nullif(trim({{ col }}), '') AS {{ col }}_text,
           {%- endfor %}
    FROM {{ raw }}
),
typed AS (
    SELECT *,
           {%- for col in numbers %}
           {{ decimal_number(col ~ '_text') }} AS {{ col }},
           {%- endfor %}
           {%- for col in dates %}
           TRY_CAST({{ col }}_text AS DATE) AS {{ col }},
           {%- endfor %}
    FROM src
)
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    DATE '{{ snapshot }}' AS snapshot_date,
    tower_id, name, operator, village_code, lat, lon, height_m, technology, coverage_radius_km,
    commissioned_on, decommissioned_on,
    {{ cast_errors(checks) }} AS _cast_errors
FROM typed
