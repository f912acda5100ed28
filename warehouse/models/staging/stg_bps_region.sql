-- Typed rows of one BPS Master File Desa file (no header: id,parent_id,name; provinces: id,name).
SELECT
    _line,
    '{{ load_id }}' AS load_id,
    DATE '{{ delivery_date }}' AS delivery_date,
    '{{ level }}' AS level,
    nullif(trim(column0), '') AS id,
{%- if columns == 3 %}
    nullif(trim(column1), '') AS parent_id,
    nullif(trim(column2), '') AS name
{%- else %}
    CAST(NULL AS VARCHAR) AS parent_id,
    nullif(trim(column1), '') AS name
{%- endif %}
FROM {{ raw }}
