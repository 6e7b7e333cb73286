{#-
    persist_docs for the relation: the model's description as the table's or view's comment,
    through sql_string_literal (dbt-spark escapes quotes but not backslashes).
-#}
{% macro spark__comment_clause() %}
    {%- set persist = config.get('persist_docs', {}) -%}
    {%- if persist is mapping and persist.get('relation', false) -%}
        comment {{ sql_string_literal(model.description) }}
    {%- endif %}
{%- endmacro %}
