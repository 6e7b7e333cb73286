{#-
    persist_docs for the relation: the description of the model as the comment of the table or view,
    through sql_string_literal (dbt-spark escapes quotes but not backslashes).
-#}
{% macro spark__comment_clause() %}
    {%- set persist = config.get('persist_docs', {}) -%}
    {%- if persist is mapping and persist.get('relation', false) -%}
        comment {{ sql_string_literal(model.description) }}
    {%- endif %}
{%- endmacro %}
