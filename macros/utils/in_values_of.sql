{#-
    The predicate column in (the values a query finds), written as string literals: the
    partitions a statement replaces or reads, so that Delta prunes the others (a subquery
    would not be pruned). query: a select of one column, cast to string, null left out by
    the caller. No value: false. Read by get_insert_overwrite_sql and by the daily runs of
    stg_shop__viewing_sessions and fct_viewing_sessions.
-#}
{% macro in_values_of(column, query) -%}
    {%- set literals = [] -%}
    {%- for value in run_query(query).columns[0].values() -%}
        {%- do literals.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    {{ return(column ~ ' in (' ~ literals | join(', ') ~ ')' if literals else 'false') }}
{%- endmacro %}
