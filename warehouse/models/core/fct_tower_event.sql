-- The valid events of one syslog load, as published into the day's partition.
SELECT
    event_date,
    tower_id,
    event_at,
    event_type,
    tag,
    message,
    iface,
    battery_v,
    syslog_priority,
    _line AS line_no,
    load_id
FROM {{ valid }}
