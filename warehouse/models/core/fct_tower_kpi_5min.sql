-- The valid samples of one KPI load, as published into the day's partition.
SELECT
    DATE '{{ partition_key }}' AS kpi_date,
    tower_id,
    measured_at,
    slot,
    status,
    availability_pct,
    latency_ms,
    packet_loss_pct,
    throughput_mbps,
    active_users,
    rssi_dbm,
    power_source,
    battery_v,
    _line AS line_no,
    '{{ load_id }}' AS load_id
FROM {{ valid }}
