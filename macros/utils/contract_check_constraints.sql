{#-
    The contract constraints of a model as (name, expression) pairs of SQL conditions: each check
    (model or column level) as written, the not_null of each column as <column> is not null.
    One list for the write-time guard (spark__get_select_subquery) and for the Delta table
    constraints (spark__tblproperties_clause), so both enforce the same rules.
-#}
{% macro contract_check_constraints(node) %}
    {%- set found = [] -%}
    {%- for constraint in node['constraints'] if constraint.type == 'check' -%}
        {%- do found.append({
            'name': constraint.name or ('check_' ~ loop.index),
            'expression': constraint.expression,
        }) -%}
    {%- endfor -%}
    {%- for column in node['columns'].values() -%}
        {%- for constraint in column.constraints -%}
            {%- if constraint.type == 'not_null' -%}
                {%- do found.append({
                    'name': column.name ~ '_not_null',
                    'expression': column.name ~ ' is not null',
                }) -%}
            {%- elif constraint.type == 'check' -%}
                {%- do found.append({
                    'name': constraint.name or (column.name ~ '_check'),
                    'expression': constraint.expression,
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}
