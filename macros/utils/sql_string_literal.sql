{#-
    A Spark SQL string literal of any text: backslashes first, then single quotes, escaped
    with a backslash (the Spark rule). dbt-spark escapes only the quotes, so a description
    holding \N lost its backslash in the catalog, and one ending in \ broke the statement.
-#}
{% macro sql_string_literal(text) -%}
    '{{ text | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
