{#-
    The load date of a bronze row, from the partition columns bronze adds to every row
    (_load_year, _load_month, _load_day: PARTITION_COLUMNS in cinelake/lake.py). The one place
    silver names them, so that a source column named year, month or day is never taken for them.
-#}
{% macro bronze_load_date(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    make_date({{ prefix }}_load_year, {{ prefix }}_load_month, {{ prefix }}_load_day)
{%- endmacro %}

{#- The partition columns of bronze, in the order register_bronze_sources declares them. -#}
{% macro bronze_partition_columns() -%}
    {{ return(['_load_year', '_load_month', '_load_day']) }}
{%- endmacro %}
