-- One year's valid attribute rows, as kept in core.village_attributes.
SELECT year, code, population, households, area_km2, lat, lon, '{{ load_id }}' AS load_id
FROM {{ valid }}
