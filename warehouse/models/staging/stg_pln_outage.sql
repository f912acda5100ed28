-- Typed partner outages of one pull.
{%- from 'macros/parsing.sql' import cast_errors, local_timestamp %}
WITH src AS (
    SELECT _line,
           nullif(trim(outage_id), '') AS outage_id,
           nullif(trim(site_id), '') AS site_id,
           nullif(trim(started_at), '') AS started_at_text,
           nullif(trim(ended_at), '') AS ended_at_text,
           nullif(trim(cause), '') AS cause,
           nullif(trim(description), '') AS description
    FROM {{ raw }}
),
typed AS (
    SELECT *,
           {{ local_timestamp('started_at_text') }} AS started_at,
           {{ local_timestamp('ended_at_text') }} AS ended_at
    FROM src
)
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    outage_id,
    site_id,
    started_at,
    ended_at,
    cause,
    description,
    {{ cast_errors([("started_at", "started_at_text", "started_at"),
                    ("ended_at", "ended_at_text", "ended_at")], with_text=false) }} AS unparsed
FROM typed
