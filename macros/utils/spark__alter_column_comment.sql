{#-
    persist_docs for columns: every column comment of a table in one alter table ... alter
    column a comment '...', b comment '...' (Spark 4 takes a list), one Delta commit, where
    dbt-spark runs one statement and commits one table version per column. Texts go through
    sql_string_literal (quotes and backslashes). Delta tables only: Parquet tables keep no
    column comments set after creation.
    An incremental run keeps its table, and with it the comments of the run before: only the
    comments that differ are set (a describe, 0.1 s), so a daily run commits no Delta version
    of comments that did not change (a commit costs one to two seconds per incremental model).
-#}
{% macro spark__alter_column_comment(relation, column_dict) %}
    {%- if config.get('file_format') != 'delta' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set current = {} -%}
    {%- if is_incremental() -%}
        {%- for row in run_query('describe table ' ~ relation) -%}
            {%- if row[0] and not row[0].startswith('#') -%}
                {%- do current.update({row[0] | lower: row[2]}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set comments = [] -%}
    {%- for column_name, column in column_dict.items() -%}
        {%- if current.get(column_name | lower) != column['description'] -%}
            {%- set name = adapter.quote(column_name) if column['quote'] else column_name -%}
            {%- do comments.append(
                name ~ ' comment ' ~ sql_string_literal(column['description'])
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if comments -%}
        {%- call statement('alter_column_comment') -%}
            alter table {{ relation }} alter column {{ comments | join(', ') }}
        {%- endcall -%}
    {%- endif -%}
{% endmacro %}
