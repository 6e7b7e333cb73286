{#- A CSV text value: trimmed, with the file's null marker \N (and empty) as null. -#}
{% macro csv_value(column) -%}
    nullif(nullif(trim({{ column }}), '\\N'), '')
{%- endmacro %}
