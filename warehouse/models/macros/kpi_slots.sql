{#- Where a KPI timestamp falls in its file's local (WITA) day, in microseconds.
    stg_tower_kpi places each sample in its slot with it while parsing; stg_tower_kpi_batch
    derives the grid and day rules' columns from it: one definition, so a row has a slot
    exactly when it breaks neither rule. -#}
{% macro us_into_day(ts, day) -%}
epoch_us({{ ts }}) - epoch_us(TIMESTAMPTZ '{{ day }} 00:00:00+08:00')
{%- endmacro %}
