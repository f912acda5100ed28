-- Typed partner outages of one pull.
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    nullif(trim(outage_id), '') AS outage_id,
    nullif(trim(site_id), '') AS site_id,
    pln_ts(started_at) AS started_at,
    pln_ts(ended_at) AS ended_at,
    nullif(trim(cause), '') AS cause,
    nullif(trim(description), '') AS description,
    nullif(concat_ws(', ',
        CASE WHEN pln_unparsed_ts(started_at) THEN 'started_at' END,
        CASE WHEN pln_unparsed_ts(ended_at) THEN 'ended_at' END), '') AS unparsed
FROM {{ raw }}
