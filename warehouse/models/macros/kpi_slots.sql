{#- Where a KPI timestamp falls in its file's local (WITA) day. stg_tower_kpi flags rows with
    these while parsing and stg_tower_kpi_batch names the reasons with them, so both must
    compute exactly the same thing. -#}
{% macro us_into_day(ts, day) -%}
epoch_us({{ ts }}) - epoch_us(TIMESTAMPTZ '{{ day }} 00:00:00+08:00')
{%- endmacro %}

{% macro slot_position(us) -%}
{{ us }} % 300000000 AS grid_offset_us,
    CAST(floor({{ us }} / 86400000000.0) AS INTEGER) AS days_from_file_day
{%- endmacro %}
