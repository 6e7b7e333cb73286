{#-
    Contract constraints, checked while the table is written. dbt-spark adds not_null and
    check constraints with alter table after create or replace table has committed: a
    violating row is then already published (and Spark 4 refuses set not null on a Delta
    column anyway). Here the contract's select (dbt's get_select_subquery) wraps its first
    column in a case that raises on the first violated constraint, so the write job fails and
    Delta keeps the previous version: the build fails with the constraint, its expression and
    the value in the first column of the row (its key), and nothing is published. A projection, not
    a filter: Spark never pushes it below a join onto rows that the model would not keep.
    As in Delta, a condition that is null is a violation (rating is null or rating between 1
    and 5, not rating between 1 and 5, for an optional column).
-#}
{% macro spark__get_select_subquery(sql) %}
    {%- set columns = model['columns'].values() | list -%}
    {%- set violations = [] -%}
    {%- for constraint in contract_check_constraints(model) -%}
        {%- do violations.append(
            "when not coalesce(" ~ constraint.expression ~ ", false) then raise_error(concat("
            ~ sql_string_literal(this ~ ": constraint " ~ constraint.name ~ " ("
                ~ constraint.expression ~ ") violated by the row with " ~ columns[0].name ~ " = ")
            ~ ", coalesce(cast(" ~ columns[0].name ~ " as string), 'null')))"
        ) -%}
    {%- endfor -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- if loop.first and violations -%}
            {%- do selected.append(
                "case " ~ violations | join(" ") ~ " else " ~ column.name ~ " end as " ~ column.name
            ) -%}
        {%- else -%}
            {%- do selected.append(column.name) -%}
        {%- endif -%}
    {%- endfor %}
    select {{ selected | join(', ') }}
    from (
        {{ sql }}
    ) as model_subq
{%- endmacro %}
