-- Typed partner sites of one pull (plus sites still waiting for a village match),
-- with the village resolved: the partner's code, else the mapping file, else a unique
-- registry match by normalised district and village name in the registry valid on
-- the record's local updated_at day.
{%- from 'macros/parsing.sql' import cast_errors, decimal_number, local_timestamp %}
{%- set numbers = ["bandwidth_mbps", "lat", "lon"] %}
{%- set instants = ["activated_at", "terminated_at", "updated_at"] %}
{%- set checks = [] %}
{%- for col in numbers + instants %}{% set _ = checks.append((col, col ~ "_text", col)) %}{% endfor %}
WITH raw_text AS (
    SELECT _line, _origin, CAST(_raw AS JSON) AS _raw,
           nullif(trim(site_id), '') AS site_id,
           nullif(trim(village_code), '') AS given_village_code,
           nullif(trim(village_name), '') AS village_name,
           nullif(trim(district_name), '') AS district_name,
           nullif(trim(service), '') AS service,
           nullif(trim(status), '') AS status,
           {%- for col in numbers + instants %}
           nullif(trim({{ col }}), '') AS {{ col }}_text,
           {%- endfor %}
           nullif(trim(pln_unit), '') AS pln_unit
    FROM {{ raw }}
),
typed AS (
    SELECT *,
           {%- for col in numbers %}
           {{ decimal_number(col ~ '_text') }} AS {{ col }},
           {%- endfor %}
           {%- for col in instants %}
           {{ local_timestamp(col ~ '_text') }} AS {{ col }},
           {%- endfor %}
    FROM raw_text
),
src AS (
    SELECT *, {{ cast_errors(checks, with_text=false) }} AS unparsed
    FROM typed
),
keyed AS (
    SELECT *,
           normalise_name(district_name) AS district_key,
           normalise_name(village_name) AS village_key,
           CAST(timezone('{{ local_tz }}', updated_at) AS DATE) AS match_date
    FROM src
),
region AS (
    SELECT v.code, normalise_name(v.name) AS village_key, normalise_name(d.name) AS district_key,
           v.valid_from, v.valid_to, d.valid_from AS district_from, d.valid_to AS district_to
    FROM core.dim_region AS v
    JOIN core.dim_region AS d ON d.code = v.parent_code AND d.level = 'district'
    WHERE v.level = 'village'
),
by_name AS (
    SELECT k._line, count(DISTINCT r.code) AS n, min(r.code) AS code
    FROM keyed AS k JOIN region AS r USING (district_key, village_key)
    WHERE r.valid_from <= k.match_date AND (r.valid_to IS NULL OR r.valid_to > k.match_date)
      AND r.district_from <= k.match_date
      AND (r.district_to IS NULL OR r.district_to > k.match_date)
    GROUP BY k._line
),
by_mapping AS (
    SELECT k._line, count(DISTINCT m.village_code) AS n, min(m.village_code) AS code
    FROM keyed AS k JOIN {{ mapping }} AS m USING (district_key, village_key)
    GROUP BY k._line
)
SELECT
    k._line,
    '{{ load_id }}' AS load_id,
    k._origin,
    k._raw,
    k.site_id,
    k.given_village_code,
    CASE WHEN k.given_village_code IS NOT NULL THEN k.given_village_code
         WHEN m.n = 1 THEN m.code
         WHEN b.n = 1 THEN b.code END AS village_code,
    CASE WHEN k.given_village_code IS NOT NULL THEN 'given'
         WHEN m.n = 1 THEN 'mapping'
         WHEN b.n = 1 THEN 'name'
         WHEN b.n > 1 THEN 'ambiguous'
         ELSE 'unmatched' END AS village_match,
    coalesce(b.n, 0) AS name_matches,
    k.village_name,
    k.district_name,
    k.service,
    k.bandwidth_mbps,
    k.status,
    k.activated_at,
    k.terminated_at,
    k.pln_unit,
    k.lat,
    k.lon,
    k.updated_at,
    k.match_date,
    k.unparsed
FROM keyed AS k
LEFT JOIN by_name AS b USING (_line)
LEFT JOIN by_mapping AS m USING (_line)
