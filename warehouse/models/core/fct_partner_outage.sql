-- Upsert one pull's valid outages into core.fct_partner_outage by outage_id: an outage
-- seen again (e.g. now ended) replaces its row. Runs in the publish transaction.
DELETE FROM core.fct_partner_outage
WHERE outage_id IN (SELECT outage_id FROM {{ valid }});

INSERT INTO core.fct_partner_outage BY NAME
SELECT
    outage_id,
    site_id,
    started_at,
    ended_at,
    cause,
    description,
    '{{ load_id }}' AS load_id
FROM {{ valid }};
