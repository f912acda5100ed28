-- Tower logs (docs/sources.md 2a-2c) and their indicators (docs/indicators.md, tower indicators).
-- Marts tables are declared here, not by CREATE TABLE AS, so that they keep their comments
-- and can be refreshed one day (or month) at a time.
CREATE TABLE core.dim_tower (
    tower_id            VARCHAR NOT NULL,
    name                VARCHAR,
    operator            VARCHAR,
    village_code        VARCHAR,
    lat                 DOUBLE,
    lon                 DOUBLE,
    height_m            DOUBLE,
    technology          VARCHAR,
    coverage_radius_km  DOUBLE,
    commissioned_on     DATE NOT NULL,
    decommissioned_on   DATE,
    snapshot_date       DATE NOT NULL,
    valid_from          DATE NOT NULL,
    valid_to            DATE,
    load_id             VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_tower IS 'Tower inventory as history: one row per tower per inventory snapshot, in force from valid_from until valid_to (exclusive). The snapshot in force on a day is the latest one dated on or before it.';
COMMENT ON COLUMN core.dim_tower.tower_id IS 'Operator-independent tower identifier (1-32 of A-Z a-z 0-9 _ -).';
COMMENT ON COLUMN core.dim_tower.name IS 'Tower name as in the inventory.';
COMMENT ON COLUMN core.dim_tower.operator IS 'Operator running the tower (PEMKAB, TELKOMSEL, XL, INDOSAT, BAKTI, ...).';
COMMENT ON COLUMN core.dim_tower.village_code IS 'Kemendagri code of the village the tower stands in.';
COMMENT ON COLUMN core.dim_tower.lat IS 'Latitude, WGS84 degrees.';
COMMENT ON COLUMN core.dim_tower.lon IS 'Longitude, WGS84 degrees.';
COMMENT ON COLUMN core.dim_tower.height_m IS 'Mast height in metres.';
COMMENT ON COLUMN core.dim_tower.technology IS '2G, 3G, 4G, 5G, VSAT, RADIO_LINK or FIBER.';
COMMENT ON COLUMN core.dim_tower.coverage_radius_km IS 'Radius of the area the tower serves, in kilometres.';
COMMENT ON COLUMN core.dim_tower.commissioned_on IS 'First local day in service.';
COMMENT ON COLUMN core.dim_tower.decommissioned_on IS 'First local day no longer in service; NULL while in service.';
COMMENT ON COLUMN core.dim_tower.snapshot_date IS 'Date of the inventory snapshot (file name) this row comes from.';
COMMENT ON COLUMN core.dim_tower.valid_from IS 'First local day this snapshot is in force (= snapshot_date).';
COMMENT ON COLUMN core.dim_tower.valid_to IS 'Local day the next snapshot takes over (exclusive); NULL for the latest snapshot.';
COMMENT ON COLUMN core.dim_tower.load_id IS 'Load that published the row (audit.load).';

CREATE TABLE core.fct_tower_kpi_5min (
    kpi_date            DATE NOT NULL,
    tower_id            VARCHAR NOT NULL,
    measured_at         TIMESTAMPTZ NOT NULL,
    slot                SMALLINT NOT NULL,
    status              VARCHAR NOT NULL,
    availability_pct    DOUBLE,
    latency_ms          DOUBLE,
    packet_loss_pct     DOUBLE,
    throughput_mbps     DOUBLE,
    active_users        INTEGER,
    rssi_dbm            DOUBLE,
    power_source        VARCHAR,
    battery_v           DOUBLE,
    line_no             BIGINT NOT NULL,
    load_id             VARCHAR NOT NULL
);
COMMENT ON TABLE core.fct_tower_kpi_5min IS 'Five-minute KPI samples, one row per tower per slot that has a valid sample; missing slots stay missing (gaps). Partitioned by kpi_date: a day is replaced whole.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.kpi_date IS 'Local (WITA) day of the sample and of the file it came in: the partition.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.tower_id IS 'Tower (core.dim_tower).';
COMMENT ON COLUMN core.fct_tower_kpi_5min.measured_at IS 'Start of the five-minute slot, UTC.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.slot IS 'Slot of the local day, 0 (00:00 WITA) to 287 (23:55 WITA).';
COMMENT ON COLUMN core.fct_tower_kpi_5min.status IS 'UP, DEGRADED or DOWN.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.availability_pct IS 'Availability the router reports for the slot, percent 0-100.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.latency_ms IS 'Round-trip latency in milliseconds; NULL when DOWN.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.packet_loss_pct IS 'Packet loss, percent 0-100.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.throughput_mbps IS 'Throughput in megabits per second.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.active_users IS 'Users attached during the slot.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.rssi_dbm IS 'Received signal strength in dBm (-140 to -30).';
COMMENT ON COLUMN core.fct_tower_kpi_5min.power_source IS 'PLN, GENSET, SOLAR or BATTERY.';
COMMENT ON COLUMN core.fct_tower_kpi_5min.battery_v IS 'Battery voltage in volts (0-60).';
COMMENT ON COLUMN core.fct_tower_kpi_5min.line_no IS 'Line of the sample in its file (header is line 1).';
COMMENT ON COLUMN core.fct_tower_kpi_5min.load_id IS 'Load that published the row (audit.load).';

CREATE TABLE core.fct_tower_event (
    event_date        DATE NOT NULL,
    tower_id          VARCHAR NOT NULL,
    event_at          TIMESTAMPTZ NOT NULL,
    event_type        VARCHAR NOT NULL,
    tag               VARCHAR NOT NULL,
    message           VARCHAR NOT NULL,
    iface             VARCHAR,
    battery_v         DOUBLE,
    syslog_priority   SMALLINT NOT NULL,
    line_no           BIGINT NOT NULL,
    load_id           VARCHAR NOT NULL
);
COMMENT ON TABLE core.fct_tower_event IS 'Router syslog events, typed (docs/sources.md 2c). Partitioned by event_date: a day is replaced whole.';
COMMENT ON COLUMN core.fct_tower_event.event_date IS 'Local (WITA) day of the log file: the partition.';
COMMENT ON COLUMN core.fct_tower_event.tower_id IS 'Tower that logged the event (syslog host field).';
COMMENT ON COLUMN core.fct_tower_event.event_at IS 'When the event was logged, UTC (the line carries WITA time, the year comes from the file date).';
COMMENT ON COLUMN core.fct_tower_event.event_type IS 'LINK_DOWN, LINK_UP, POWER_LOSS, POWER_RESTORED, BATTERY_LOW, GENSET_START, GENSET_STOP, REBOOT or OTHER.';
COMMENT ON COLUMN core.fct_tower_event.tag IS 'Syslog tag (netwatch, power, genset, system, ...).';
COMMENT ON COLUMN core.fct_tower_event.message IS 'Message text as logged.';
COMMENT ON COLUMN core.fct_tower_event.iface IS 'Interface named by LINK_DOWN / LINK_UP.';
COMMENT ON COLUMN core.fct_tower_event.battery_v IS 'Battery voltage in volts reported by BATTERY_LOW.';
COMMENT ON COLUMN core.fct_tower_event.syslog_priority IS 'RFC 3164 PRI value (facility * 8 + severity).';
COMMENT ON COLUMN core.fct_tower_event.line_no IS 'Line of the event in its file (first line is 1).';
COMMENT ON COLUMN core.fct_tower_event.load_id IS 'Load that published the row (audit.load).';

CREATE TABLE marts.tower_availability_daily (
    kpi_date                     DATE NOT NULL,
    tower_id                     VARCHAR NOT NULL,
    village_code                 VARCHAR,
    slots_in_service             INTEGER NOT NULL,
    slots_with_sample            INTEGER NOT NULL,
    slots_available              INTEGER NOT NULL,
    tower_availability_pct       DOUBLE NOT NULL,
    tower_data_completeness_pct  DOUBLE NOT NULL,
    tower_downtime_minutes       INTEGER NOT NULL,
    tower_power_loss_events      INTEGER NOT NULL
);
COMMENT ON TABLE marts.tower_availability_daily IS 'Tower indicators per local day (docs/indicators.md): one row per tower in service that day, whether or not a sample arrived. Refreshed one day at a time.';
COMMENT ON COLUMN marts.tower_availability_daily.kpi_date IS 'Local (WITA) day.';
COMMENT ON COLUMN marts.tower_availability_daily.tower_id IS 'Tower in service that day (commissioned_on <= day and decommissioned_on empty or later), per the inventory snapshot in force.';
COMMENT ON COLUMN marts.tower_availability_daily.village_code IS 'Village of the tower per the snapshot in force.';
COMMENT ON COLUMN marts.tower_availability_daily.slots_in_service IS 'Five-minute slots in service: 288 for a day in service.';
COMMENT ON COLUMN marts.tower_availability_daily.slots_with_sample IS 'Slots with a published sample.';
COMMENT ON COLUMN marts.tower_availability_daily.slots_available IS 'Slots whose sample has status UP or DEGRADED.';
COMMENT ON COLUMN marts.tower_availability_daily.tower_availability_pct IS 'tower_availability_pct: slots UP or DEGRADED / slots in service x 100; a slot without sample counts as not available.';
COMMENT ON COLUMN marts.tower_availability_daily.tower_data_completeness_pct IS 'tower_data_completeness_pct: slots with a sample / slots in service x 100.';
COMMENT ON COLUMN marts.tower_availability_daily.tower_downtime_minutes IS 'tower_downtime_minutes: 5 x slots in service without UP or DEGRADED.';
COMMENT ON COLUMN marts.tower_availability_daily.tower_power_loss_events IS 'tower_power_loss_events: POWER_LOSS events of the tower that day.';

CREATE TABLE marts.tower_availability_monthly (
    month_start                  DATE NOT NULL,
    tower_id                     VARCHAR NOT NULL,
    days_in_service              INTEGER NOT NULL,
    slots_in_service             INTEGER NOT NULL,
    slots_with_sample            INTEGER NOT NULL,
    slots_available              INTEGER NOT NULL,
    tower_availability_pct       DOUBLE NOT NULL,
    tower_data_completeness_pct  DOUBLE NOT NULL,
    tower_downtime_minutes       INTEGER NOT NULL,
    tower_power_loss_events      INTEGER NOT NULL,
    link_outages                 INTEGER NOT NULL,
    tower_mttr_minutes           DOUBLE,
    period_end_date              DATE NOT NULL
);
COMMENT ON TABLE marts.tower_availability_monthly IS 'Tower indicators per local calendar month (docs/indicators.md), over the days of the month up to period_end_date. Refreshed one month at a time.';
COMMENT ON COLUMN marts.tower_availability_monthly.month_start IS 'First local day of the month.';
COMMENT ON COLUMN marts.tower_availability_monthly.tower_id IS 'Tower in service on at least one day of the month.';
COMMENT ON COLUMN marts.tower_availability_monthly.days_in_service IS 'Days of the month (up to period_end_date) the tower was in service.';
COMMENT ON COLUMN marts.tower_availability_monthly.slots_in_service IS '288 x days_in_service.';
COMMENT ON COLUMN marts.tower_availability_monthly.slots_with_sample IS 'Slots with a published sample; days without a KPI file count zero.';
COMMENT ON COLUMN marts.tower_availability_monthly.slots_available IS 'Slots whose sample has status UP or DEGRADED.';
COMMENT ON COLUMN marts.tower_availability_monthly.tower_availability_pct IS 'tower_availability_pct: slots UP or DEGRADED / slots in service x 100 over the month.';
COMMENT ON COLUMN marts.tower_availability_monthly.tower_data_completeness_pct IS 'tower_data_completeness_pct: slots with a sample / slots in service x 100 over the month.';
COMMENT ON COLUMN marts.tower_availability_monthly.tower_downtime_minutes IS 'tower_downtime_minutes: 5 x slots in service without UP or DEGRADED over the month.';
COMMENT ON COLUMN marts.tower_availability_monthly.tower_power_loss_events IS 'tower_power_loss_events: POWER_LOSS events in the month.';
COMMENT ON COLUMN marts.tower_availability_monthly.link_outages IS 'LINK_DOWN events in the month (the outages MTTR averages).';
COMMENT ON COLUMN marts.tower_availability_monthly.tower_mttr_minutes IS 'tower_mttr_minutes: mean minutes from each LINK_DOWN in the month to the next LINK_UP of the tower, clipped at the month end; NULL without outages.';
COMMENT ON COLUMN marts.tower_availability_monthly.period_end_date IS 'Last local day counted: the month''s last day, or the latest day with KPI data if earlier.';
