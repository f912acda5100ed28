-- One KPI file's samples as they land (towers.land_kpi), in the file's order. Nobody sees
-- these rows until the load is published (the view core.fct_tower_kpi_5min), and
-- publishing deletes the quarantined ones.
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
    '{{ load_id }}' AS load_id,
    _cast_errors
FROM {{ parsed }}
