-- @partition whole
-- @grain indicator
-- The indicator definitions (warehouse/indicators.yml) as data, with the thresholds in
-- force; `marts` lists the marts that carry the indicator as a column.
{# The catalog lists a mart made by CREATE TABLE AS only once it is built, so this model is
    built after those: ref('district_village_count'), ref('partner_sla_monthly'). #}
WITH defs(indicator, label_id, label_en, definition, formula, unit, period, sources,
          decimals, threshold_name, threshold_value, kind) AS (
    VALUES
    {%- for i in indicators %}
    ({{ lit(i.name) }}, {{ lit(i.label_id) }}, {{ lit(i.label_en) }}, {{ lit(i.definition) }},
     {{ lit(i.formula) }}, {{ lit(i.unit) }}, {{ lit(i.period) }}, {{ lit(i.sources) }},
     CAST({{ lit(i.decimals) }} AS INTEGER), CAST({{ lit(i.threshold) }} AS VARCHAR),
     CAST({{ lit(thresholds[i.threshold] if i.threshold else None) }} AS DOUBLE),
     {{ lit(i.kind) }})
    {{- "," if not loop.last }}
    {%- endfor %}
),
carried AS (
    SELECT column_name AS indicator, string_agg(table_name, ', ' ORDER BY table_name) AS marts
    FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'marts'
      AND table_name <> 'indicator_metadata'
    GROUP BY 1
)
SELECT d.*, coalesce(c.marts, '') AS marts
FROM defs AS d LEFT JOIN carried AS c USING (indicator)
