-- One BPS file's valid rows, as kept in core.bps_region.
SELECT delivery_date, level, id AS bps_code, parent_id AS parent_code, name,
       '{{ load_id }}' AS load_id
FROM {{ valid }}
