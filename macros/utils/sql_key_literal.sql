{#-
    A key value read back from a query (run_query) as a Spark SQL literal: a number as it is,
    text quoted (sql_string_literal).
-#}
{% macro sql_key_literal(value) -%}
    {{ sql_string_literal(value) if value is string else value }}
{%- endmacro %}
