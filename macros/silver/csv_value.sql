{#- A CSV text value: trimmed, with the null marker of the file, \N (and empty) as null. -#}
{% macro csv_value(column) -%}
    nullif(nullif(trim({{ column }}), '\\N'), '')
{%- endmacro %}
