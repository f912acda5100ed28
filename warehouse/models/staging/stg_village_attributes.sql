-- Typed rows of one attributes file. Numbers come with a decimal point or a decimal
-- comma (12,5 or 1.234,5); text that is neither stays NULL beside its *_text column,
-- so the suite can quarantine it as "not a number" rather than failing the file.
{%- from 'macros/parsing.sql' import decimal_number %}
WITH src AS (
    SELECT _line,
           nullif(trim(kode), '') AS code,
           nullif(trim(population), '') AS population_text,
           nullif(trim(households), '') AS households_text,
           nullif(trim(area_km2), '') AS area_km2_text,
           nullif(trim(lat), '') AS lat_text,
           nullif(trim(lon), '') AS lon_text
    FROM {{ raw }}
)
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    {{ year }} AS year,
    code,
    population_text,
    CASE WHEN regexp_matches(population_text, '^\d+$') THEN TRY_CAST(population_text AS BIGINT) END AS population,
    households_text,
    CASE WHEN regexp_matches(households_text, '^\d+$') THEN TRY_CAST(households_text AS BIGINT) END AS households,
    area_km2_text,
    {{ decimal_number('area_km2_text', strict=true) }} AS area_km2,
    lat_text,
    {{ decimal_number('lat_text', strict=true) }} AS lat,
    lon_text,
    {{ decimal_number('lon_text', strict=true) }} AS lon
FROM src
