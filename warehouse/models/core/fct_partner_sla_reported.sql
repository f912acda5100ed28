-- One monthly SLA report's valid rows; the publish replaces that month.
SELECT
    report_month,
    month_date,
    site_id,
    village_name,
    district_name,
    service,
    bandwidth_mbps,
    contracted_sla_pct,
    reported_availability_pct,
    downtime_minutes,
    outage_count,
    remarks,
    _line AS sheet_row,
    '{{ load_id }}' AS load_id
FROM {{ valid }}
