{#-
    persist_docs for a view's columns (dbt-spark's create or replace view v (a comment
    '...', ...)), through sql_string_literal (dbt-spark escapes quotes but not backslashes).
-#}
{% macro get_column_comment_sql(column_name, column_dict) -%}
    {{ adapter.quote(column_name) }}
    {%- if column_name in column_dict and column_dict[column_name]['description'] %}
        comment {{ sql_string_literal(column_dict[column_name]['description']) }}
    {%- endif %}
{%- endmacro %}
