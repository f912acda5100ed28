-- Incoming outages of one pull in the shape of core.fct_partner_outage; the publish
-- step upserts them by outage_id.
SELECT
    outage_id,
    site_id,
    started_at,
    ended_at,
    cause,
    description,
    '{{ load_id }}' AS load_id
FROM {{ valid }}
