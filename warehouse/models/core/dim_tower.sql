-- The valid rows of one inventory snapshot; valid_to is set for the whole history on publish.
SELECT
    tower_id, name, operator, village_code, lat, lon, height_m, technology, coverage_radius_km,
    commissioned_on, decommissioned_on,
    snapshot_date,
    snapshot_date AS valid_from,
    CAST(NULL AS DATE) AS valid_to,
    load_id
FROM {{ valid }}
