-- Typed rows of one monthly SLA report; numbers given as numbers or decimal-comma text.
{%- from 'macros/parsing.sql' import cast_errors, decimal_number %}
{#- (column, the report's header for it) -#}
{%- set numbers = [
    ("bandwidth_mbps", "Bandwidth (Mbps)"), ("contracted_sla_pct", "SLA Kontrak (%)"),
    ("reported_availability_pct", "Availability (%)"), ("downtime_minutes", "Downtime (menit)"),
    ("outage_count", "Jumlah Gangguan"),
] %}
{%- set checks = [] %}
{%- for col, header in numbers %}{% set _ = checks.append((header, col ~ "_text", col)) %}{% endfor %}
WITH src AS (
    SELECT _line,
           nullif(trim(site_id), '') AS site_id,
           nullif(trim(village_name), '') AS village_name,
           nullif(trim(district_name), '') AS district_name,
           nullif(trim(service), '') AS service,
           {%- for col, header in numbers %}
           nullif(trim({{ col }}), '') AS {{ col }}_text,
           {%- endfor %}
           nullif(trim(remarks), '') AS remarks
    FROM {{ raw }}
),
typed AS (
    SELECT *,
           {%- for col, header in numbers %}
           {{ decimal_number(col ~ '_text') }} AS {{ col }},
           {%- endfor %}
    FROM src
)
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    '{{ report_month }}' AS report_month,
    DATE '{{ report_month }}-01' AS month_date,
    site_id,
    village_name,
    district_name,
    service,
    bandwidth_mbps,
    contracted_sla_pct,
    reported_availability_pct,
    downtime_minutes,
    CAST(outage_count AS INTEGER) AS outage_count,
    remarks,
    {{ cast_errors(checks, with_text=false) }} AS unparsed
FROM typed
