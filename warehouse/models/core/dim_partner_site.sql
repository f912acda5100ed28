-- Incoming site records of one pull in the shape of core.dim_partner_site; the
-- publish step (pipelines/pln/pull.py) merges them into the history.
SELECT
    site_id,
    village_code,
    village_match,
    village_name,
    district_name,
    service,
    bandwidth_mbps,
    status,
    activated_at,
    terminated_at,
    pln_unit,
    lat,
    lon,
    updated_at,
    updated_at AS valid_from_at,
    CAST(NULL AS TIMESTAMPTZ) AS valid_to_at,
    '{{ load_id }}' AS load_id
FROM {{ valid }}
