{#- Text -> typed values: the one rule for each kind of value, shared by every staging
    model, so that a value parses the same whichever delivery it came in. A value that
    does not parse is NULL; cast_errors names it. -#}

{#- A number with a decimal point (12.5) or a decimal comma (12,5; 1.234,5 with dots
    grouping thousands). `decimal_comma=false` where the format rules a comma out (a
    ','-delimited tower KPI file): the text is then cast as it is. Only text with both a
    comma and a dot pays for a pattern match (the KPI file is millions of values). -#}
{#- `strict=true` takes plain numerals only (digits, one decimal point or comma, thousands
    dots before a comma): a value a person typed into a register, where "1e5", "inf" or
    "nan" is a typing error to quarantine, not a number. -#}
{% macro decimal_number(text, type='DOUBLE', decimal_comma=true, strict=false) -%}
{%- if strict -%}
CASE WHEN regexp_matches({{ text }}, '^-?(\d+([.,]\d+)?|\d{1,3}(\.\d{3})+,\d+)$')
     THEN {{ decimal_number(text, type, decimal_comma) }} END
{%- elif decimal_comma -%}
CASE WHEN NOT contains({{ text }}, ',') THEN TRY_CAST({{ text }} AS {{ type }})
     WHEN NOT contains({{ text }}, '.') THEN TRY_CAST(replace({{ text }}, ',', '.') AS {{ type }})
     WHEN regexp_matches({{ text }}, '^-?\d{1,3}(\.\d{3})+,\d+$')
         THEN TRY_CAST(replace(replace({{ text }}, '.', ''), ',', '.') AS {{ type }}) END
{%- else -%}
TRY_CAST({{ text }} AS {{ type }})
{%- endif -%}
{%- endmacro %}

{#- An instant from ISO 8601 text: with an offset (Z, +08:00, +0800, +08) or a zone name
    (UTC, Asia/Jakarta) after the time, that instant; without, local time, WITA
    (Asia/Makassar, the pipeline's LOCAL_TZ: UTC+8 all year, no daylight saving).
    Independent of the session's TimeZone. -#}
{% macro local_timestamp(text) -%}
CASE WHEN regexp_matches({{ text }}, '\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?|[A-Za-z][A-Za-z0-9_/+-]*)$')
     THEN TRY_CAST({{ text }} AS TIMESTAMPTZ)
     ELSE timezone('Asia/Makassar', TRY_CAST({{ text }} AS TIMESTAMP)) END
{%- endmacro %}

{#- The failed casts of a row, for its _cast_errors column: "<name>=<text>" for each
    (name, text, value) whose text is given but whose value is NULL, joined by ", ";
    NULL when every cast succeeded. `with_text=false` names the columns only (the PLN
    models, whose quarantined record carries the raw record beside it). The outer CASE
    keeps concat_ws off the rows where nothing failed: nearly all of them. -#}
{% macro cast_errors(checks, with_text=true) -%}
CASE WHEN {% for name, text, value in checks %}{% if not loop.first %} OR {% endif -%}
    ({{ text }} IS NOT NULL AND {{ value }} IS NULL){% endfor %}
THEN concat_ws(', '
    {%- for name, text, value in checks %},
    CASE WHEN {{ text }} IS NOT NULL AND {{ value }} IS NULL
         THEN '{{ name | replace("'", "''") }}{% if with_text %}=' || {{ text }}{% else %}'{% endif %} END
    {%- endfor %}
) END
{%- endmacro %}
