-- @partition whole
-- @grain month_date, site_id
-- @table Partner SLA per PLN partner site and local month (docs/indicators.md, Partner SLA): measured availability from the partner's own outages, its reported figure, the discrepancy and the breach of contract. Only sites with active minutes in the month have a row.
-- @column month_date First local (WITA) day of the month.
-- @column site_id The partner's site (core.dim_partner_site).
-- @column village_code Kemendagri village code of the site (current version).
-- @column service FIBER, RADIO, VSAT or WIFI_PUBLIC.
-- @column active_minutes Minutes of the site's active period (activated_at to terminated_at, open while NULL) inside the month.
-- @column outage_minutes Minutes of the union of the site's outages clipped to its active minutes; an ongoing outage counts to the month's end; overlaps counted once; NULL while the outages are not pulled through the month's end (audit.api_watermark), e.g. a month known only from a partner report.
-- @column sla_measured_availability_pct Here: (1 - outage_minutes / active_minutes) x 100; NULL (and so the discrepancy, its flag and the breach) while outage_minutes is.
-- @column sla_reported_availability_pct The report's Availability (%) column; NULL without a report or an empty cell.
-- @column sla_contracted_pct SLA Kontrak (%) from the partner's report.
-- @column sla_discrepancy_flagged TRUE when |sla_discrepancy_pp| exceeds sla_discrepancy_threshold_pp; NULL without a reported figure.
-- @column sla_discrepancy_threshold_pp The discrepancy threshold in force when the mart was built (setting sla_discrepancy_flag_pp).
-- @column sla_breach NULL without a contracted figure.
-- Partner SLA per site and local month (docs/indicators.md, "Partner SLA").
-- Months run from the first activation to the last month that is either complete
-- before the outage watermark or covered by a partner report.
{% from 'macros/exact.sql' import exact_sum %}
WITH site AS (
    SELECT site_id, village_code, service, activated_at, terminated_at
    FROM core.dim_partner_site
    WHERE valid_to_at IS NULL AND activated_at IS NOT NULL
),
span AS (
    SELECT
        (SELECT date_trunc('month', min(timezone('{{ tz }}', activated_at))) FROM site) AS first_month,
        greatest(
            (SELECT date_trunc('month', timezone('{{ tz }}', max(watermark_at))) - INTERVAL 1 MONTH
             FROM audit.api_watermark WHERE source = 'pln' AND stream = 'outages'),
            (SELECT CAST(max(month_date) AS TIMESTAMP) FROM core.fct_partner_sla_reported)
        ) AS last_month
),
months AS (
    SELECT CAST(m.generate_series AS DATE) AS month_date,
           timezone('{{ tz }}', m.generate_series) AS month_start_at,
           timezone('{{ tz }}', m.generate_series + INTERVAL 1 MONTH) AS month_end_at
    FROM span, generate_series(span.first_month, span.last_month, INTERVAL 1 MONTH) AS m
    WHERE span.first_month IS NOT NULL AND span.last_month IS NOT NULL
),
active AS (
    -- the site's active period inside the month
    SELECT s.site_id, s.village_code, s.service, m.month_date, m.month_end_at,
           greatest(s.activated_at, m.month_start_at) AS a0,
           least(coalesce(s.terminated_at, m.month_end_at), m.month_end_at) AS a1
    FROM site AS s CROSS JOIN months AS m
    WHERE s.activated_at < m.month_end_at
      AND (s.terminated_at IS NULL OR s.terminated_at > m.month_start_at)
),
clipped AS (
    -- each outage clipped to the active period; an ongoing one runs to the month's end
    SELECT a.site_id, a.month_date,
           greatest(o.started_at, a.a0) AS o0,
           least(coalesce(o.ended_at, a.month_end_at), a.a1) AS o1
    FROM active AS a JOIN core.fct_partner_outage AS o ON o.site_id = a.site_id
    WHERE greatest(o.started_at, a.a0) < least(coalesce(o.ended_at, a.month_end_at), a.a1)
),
ordered AS (
    SELECT *, max(o1) OVER (
        PARTITION BY site_id, month_date ORDER BY o0, o1
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_to
    FROM clipped
),
outage AS (
    -- union of the intervals: each adds only what earlier-starting ones did not cover
    SELECT site_id, month_date,
           {{ exact_sum('greatest(epoch(o1) - epoch(greatest(o0, coalesce(covered_to, o0))), 0)') }} / 60
               AS outage_minutes
    FROM ordered GROUP BY ALL
),
pulled AS (
    SELECT max(watermark_at) AS outages_to
    FROM audit.api_watermark WHERE source = 'pln' AND stream = 'outages'
),
measured AS (
    -- No outage known is 0 minutes only once the outages are pulled through the month's
    -- end; before that (a month known from a partner report only) it is unknown.
    SELECT a.month_date, a.site_id, a.village_code, a.service,
           (epoch(a.a1) - epoch(a.a0)) / 60 AS active_minutes,
           CASE WHEN a.month_end_at <= p.outages_to THEN coalesce(o.outage_minutes, 0) END
               AS outage_minutes
    FROM active AS a LEFT JOIN outage AS o USING (site_id, month_date) CROSS JOIN pulled AS p
    WHERE a.a1 > a.a0
)
SELECT
    m.month_date,
    m.site_id,
    m.village_code,
    m.service,
    m.active_minutes,
    m.outage_minutes,
    100 * (1 - m.outage_minutes / m.active_minutes) AS sla_measured_availability_pct,
    r.reported_availability_pct AS sla_reported_availability_pct,
    r.contracted_sla_pct AS sla_contracted_pct,
    r.reported_availability_pct - 100 * (1 - m.outage_minutes / m.active_minutes) AS sla_discrepancy_pp,
    abs(r.reported_availability_pct - 100 * (1 - m.outage_minutes / m.active_minutes))
        > {{ thresholds['sla_discrepancy_flag_pp'] }} AS sla_discrepancy_flagged,
    CAST({{ thresholds['sla_discrepancy_flag_pp'] }} AS DOUBLE) AS sla_discrepancy_threshold_pp,
    100 * (1 - m.outage_minutes / m.active_minutes) < r.contracted_sla_pct AS sla_breach
FROM measured AS m
LEFT JOIN core.fct_partner_sla_reported AS r USING (site_id, month_date)
ORDER BY m.month_date, m.site_id
