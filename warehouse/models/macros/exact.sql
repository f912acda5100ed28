{#- Aggregates of DOUBLE values whose result does not depend on the order the rows arrive
    in: a parallel float sum adds in any order and differs in its last digits from run to
    run. The values are summed exactly as DECIMAL (12 decimals), then turned back to DOUBLE,
    so a published figure is the same bits on every build. -#}
{% macro exact_sum(x) -%}
CAST(sum(CAST({{ x }} AS DECIMAL(38, 12))) AS DOUBLE)
{%- endmacro %}

{% macro exact_avg(x) -%}
CAST(avg(CAST({{ x }} AS DECIMAL(38, 12))) AS DOUBLE)
{%- endmacro %}
