-- Merge one pull's valid site records into the history core.dim_partner_site (type 2):
-- a status or bandwidth change closes the current version at the record's updated_at
-- and opens a new one; other changes update the current version in place; a record
-- no newer than the current version is older news and ignored. New sites open their
-- first version. Statements run in order, in the publish transaction.
{%- set kept_with_the_version = [
    "village_code", "village_match", "village_name", "district_name", "service",
    "bandwidth_mbps", "status", "activated_at", "terminated_at", "pln_unit", "lat", "lon",
    "updated_at", "load_id",
] %}
{%- set current = "d.site_id = i.site_id AND d.valid_to_at IS NULL" %}
CREATE OR REPLACE TEMP TABLE incoming_site AS
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
FROM {{ valid }};

DELETE FROM incoming_site AS i
WHERE EXISTS (SELECT 1 FROM core.dim_partner_site AS d
              WHERE {{ current }} AND d.updated_at >= i.updated_at);

UPDATE core.dim_partner_site AS d SET valid_to_at = i.updated_at
FROM incoming_site AS i
WHERE {{ current }}
  AND (d.status IS DISTINCT FROM i.status OR d.bandwidth_mbps IS DISTINCT FROM i.bandwidth_mbps);

UPDATE core.dim_partner_site AS d SET
    {%- for col in kept_with_the_version %}
    {{ col }} = i.{{ col }}{{ "," if not loop.last }}
    {%- endfor %}
FROM incoming_site AS i
WHERE {{ current }};

DELETE FROM incoming_site AS i
WHERE EXISTS (SELECT 1 FROM core.dim_partner_site AS d WHERE {{ current }});

INSERT INTO core.dim_partner_site BY NAME SELECT * FROM incoming_site;

DROP TABLE incoming_site;
