-- PLN partner data (docs/sources.md 3): API watermarks, partner sites as a history,
-- outages upserted by outage_id, and the partner's own monthly SLA figures.
CREATE TABLE audit.api_watermark (
    source        VARCHAR NOT NULL,
    stream        VARCHAR NOT NULL,
    watermark_at  TIMESTAMPTZ NOT NULL,
    load_id       VARCHAR NOT NULL,
    advanced_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE audit.api_watermark IS 'How far each API stream has been pulled and fully loaded; one row per (source, stream), moved only when a pull is published whole.';
COMMENT ON COLUMN audit.api_watermark.source IS 'API source family, e.g. pln.';
COMMENT ON COLUMN audit.api_watermark.stream IS 'The endpoint pulled: sites or outages.';
COMMENT ON COLUMN audit.api_watermark.watermark_at IS 'End of the last fully loaded pull (UTC); the next pull starts here (outages: minus the lookback).';
COMMENT ON COLUMN audit.api_watermark.load_id IS 'The load (audit.load) whose publication moved the watermark.';
COMMENT ON COLUMN audit.api_watermark.advanced_at IS 'When the watermark was last moved (UTC).';

CREATE TABLE core.dim_partner_site (
    site_id         VARCHAR NOT NULL,
    village_code    VARCHAR NOT NULL,
    village_match   VARCHAR NOT NULL,
    village_name    VARCHAR,
    district_name   VARCHAR,
    service         VARCHAR NOT NULL,
    bandwidth_mbps  DOUBLE,
    status          VARCHAR NOT NULL,
    activated_at    TIMESTAMPTZ,
    terminated_at   TIMESTAMPTZ,
    pln_unit        VARCHAR,
    lat             DOUBLE,
    lon             DOUBLE,
    updated_at      TIMESTAMPTZ NOT NULL,
    valid_from_at   TIMESTAMPTZ NOT NULL,
    valid_to_at     TIMESTAMPTZ,
    load_id         VARCHAR NOT NULL
);
COMMENT ON TABLE core.dim_partner_site IS 'PLN partner sites as a history: a new version whenever status or bandwidth changes, valid from valid_from_at until valid_to_at (exclusive, NULL while current).';
COMMENT ON COLUMN core.dim_partner_site.site_id IS 'The partner''s site identifier (also "ID Layanan" in the SLA report).';
COMMENT ON COLUMN core.dim_partner_site.village_code IS 'Kemendagri village code: as sent by the partner, or matched by district and village name, or from config/pln_village_mapping.csv.';
COMMENT ON COLUMN core.dim_partner_site.village_match IS 'How village_code was found: given (sent by the partner), name (registry match by normalised names) or mapping (the mapping file).';
COMMENT ON COLUMN core.dim_partner_site.village_name IS 'Village name as the partner wrote it.';
COMMENT ON COLUMN core.dim_partner_site.district_name IS 'District (kecamatan) name as the partner wrote it.';
COMMENT ON COLUMN core.dim_partner_site.service IS 'FIBER, RADIO, VSAT or WIFI_PUBLIC.';
COMMENT ON COLUMN core.dim_partner_site.bandwidth_mbps IS 'Contracted bandwidth in Mbps.';
COMMENT ON COLUMN core.dim_partner_site.status IS 'PLANNED, ACTIVE, SUSPENDED or TERMINATED.';
COMMENT ON COLUMN core.dim_partner_site.activated_at IS 'When the service was activated (UTC); NULL if never.';
COMMENT ON COLUMN core.dim_partner_site.terminated_at IS 'When the service ended (UTC); NULL while it runs.';
COMMENT ON COLUMN core.dim_partner_site.pln_unit IS 'The PLN unit responsible for the site.';
COMMENT ON COLUMN core.dim_partner_site.lat IS 'Latitude of the site (WGS84 degrees).';
COMMENT ON COLUMN core.dim_partner_site.lon IS 'Longitude of the site (WGS84 degrees).';
COMMENT ON COLUMN core.dim_partner_site.updated_at IS 'The partner''s last-change time of the record this version holds (UTC).';
COMMENT ON COLUMN core.dim_partner_site.valid_from_at IS 'Start of this version: the partner''s updated_at of the record that set this status and bandwidth (UTC).';
COMMENT ON COLUMN core.dim_partner_site.valid_to_at IS 'End of this version (exclusive, UTC); NULL for the current version.';
COMMENT ON COLUMN core.dim_partner_site.load_id IS 'Load that last wrote the row (audit.load).';

CREATE TABLE core.fct_partner_outage (
    outage_id    VARCHAR NOT NULL,
    site_id      VARCHAR NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ,
    cause        VARCHAR NOT NULL,
    description  VARCHAR,
    load_id      VARCHAR NOT NULL
);
COMMENT ON TABLE core.fct_partner_outage IS 'Outages reported by the PLN partner API, one row per outage_id; a later pull updates the row (e.g. when an ongoing outage ends).';
COMMENT ON COLUMN core.fct_partner_outage.outage_id IS 'The partner''s outage identifier.';
COMMENT ON COLUMN core.fct_partner_outage.site_id IS 'The site out of service (core.dim_partner_site).';
COMMENT ON COLUMN core.fct_partner_outage.started_at IS 'Start of the outage (UTC).';
COMMENT ON COLUMN core.fct_partner_outage.ended_at IS 'End of the outage (UTC); NULL while ongoing.';
COMMENT ON COLUMN core.fct_partner_outage.cause IS 'PLN_POWER, FIBER_CUT, EQUIPMENT, WEATHER or OTHER.';
COMMENT ON COLUMN core.fct_partner_outage.description IS 'The partner''s free-text description.';
COMMENT ON COLUMN core.fct_partner_outage.load_id IS 'Load that last wrote the row (audit.load).';

CREATE TABLE core.fct_partner_sla_reported (
    report_month               VARCHAR NOT NULL,
    month_date                 DATE NOT NULL,
    site_id                    VARCHAR NOT NULL,
    village_name               VARCHAR,
    district_name              VARCHAR,
    service                    VARCHAR,
    bandwidth_mbps             DOUBLE,
    contracted_sla_pct         DOUBLE,
    reported_availability_pct  DOUBLE,
    downtime_minutes           DOUBLE,
    outage_count               INTEGER,
    remarks                    VARCHAR,
    sheet_row                  INTEGER NOT NULL,
    load_id                    VARCHAR NOT NULL
);
COMMENT ON TABLE core.fct_partner_sla_reported IS 'The partner''s own monthly SLA report (landing/pln/sla/<YYYY-MM>.xlsx), one row per service and month; a corrected report replaces its month.';
COMMENT ON COLUMN core.fct_partner_sla_reported.report_month IS 'The month reported, YYYY-MM (the partition; equals the file name and the title''s period).';
COMMENT ON COLUMN core.fct_partner_sla_reported.month_date IS 'First local day of the month reported.';
COMMENT ON COLUMN core.fct_partner_sla_reported.site_id IS 'ID Layanan: the partner''s site identifier.';
COMMENT ON COLUMN core.fct_partner_sla_reported.village_name IS 'Nama Desa as written in the report.';
COMMENT ON COLUMN core.fct_partner_sla_reported.district_name IS 'Kecamatan as written in the report.';
COMMENT ON COLUMN core.fct_partner_sla_reported.service IS 'Jenis Layanan as written in the report.';
COMMENT ON COLUMN core.fct_partner_sla_reported.bandwidth_mbps IS 'Bandwidth (Mbps) as reported.';
COMMENT ON COLUMN core.fct_partner_sla_reported.contracted_sla_pct IS 'SLA Kontrak (%): the contracted availability.';
COMMENT ON COLUMN core.fct_partner_sla_reported.reported_availability_pct IS 'Availability (%) the partner claims for the month; NULL where the cell was empty.';
COMMENT ON COLUMN core.fct_partner_sla_reported.downtime_minutes IS 'Downtime (menit) the partner reports; NULL where empty.';
COMMENT ON COLUMN core.fct_partner_sla_reported.outage_count IS 'Jumlah Gangguan: outages the partner reports; NULL where empty.';
COMMENT ON COLUMN core.fct_partner_sla_reported.remarks IS 'Keterangan: the partner''s remarks.';
COMMENT ON COLUMN core.fct_partner_sla_reported.sheet_row IS 'Row number of the line in the spreadsheet.';
COMMENT ON COLUMN core.fct_partner_sla_reported.load_id IS 'Load that published the row (audit.load).';
