{#-
    persist_docs for columns: every column comment of a table in one alter table ... alter
    column a comment '...', b comment '...' (Spark 4 takes a list), one Delta commit, where
    dbt-spark runs one statement and commits one table version per column. Texts go through
    sql_string_literal (quotes and backslashes). Delta tables only: Parquet tables keep no
    column comments set after creation.
-#}
{% macro spark__alter_column_comment(relation, column_dict) %}
    {%- set comments = [] -%}
    {%- for column_name, column in column_dict.items() -%}
        {%- set name = adapter.quote(column_name) if column['quote'] else column_name -%}
        {%- do comments.append(name ~ ' comment ' ~ sql_string_literal(column['description'])) -%}
    {%- endfor -%}
    {%- if config.get('file_format') == 'delta' and comments -%}
        {%- call statement('alter_column_comment') -%}
            alter table {{ relation }} alter column {{ comments | join(', ') }}
        {%- endcall -%}
    {%- endif -%}
{% endmacro %}
