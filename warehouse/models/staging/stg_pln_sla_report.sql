-- Typed rows of one monthly SLA report; numbers given as numbers or decimal-comma text.
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    '{{ report_month }}' AS report_month,
    DATE '{{ report_month }}-01' AS month_date,
    nullif(trim(site_id), '') AS site_id,
    nullif(trim(village_name), '') AS village_name,
    nullif(trim(district_name), '') AS district_name,
    nullif(trim(service), '') AS service,
    pln_num(bandwidth_mbps) AS bandwidth_mbps,
    pln_num(contracted_sla_pct) AS contracted_sla_pct,
    pln_num(reported_availability_pct) AS reported_availability_pct,
    pln_num(downtime_minutes) AS downtime_minutes,
    CAST(pln_num(outage_count) AS INTEGER) AS outage_count,
    nullif(trim(remarks), '') AS remarks,
    nullif(concat_ws(', ',
        CASE WHEN pln_unparsed_num(bandwidth_mbps) THEN 'Bandwidth (Mbps)' END,
        CASE WHEN pln_unparsed_num(contracted_sla_pct) THEN 'SLA Kontrak (%)' END,
        CASE WHEN pln_unparsed_num(reported_availability_pct) THEN 'Availability (%)' END,
        CASE WHEN pln_unparsed_num(downtime_minutes) THEN 'Downtime (menit)' END,
        CASE WHEN pln_unparsed_num(outage_count) THEN 'Jumlah Gangguan' END), '') AS unparsed
FROM {{ raw }}
