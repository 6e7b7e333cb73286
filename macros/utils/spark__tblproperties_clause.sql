{#-
    The table properties of a create or replace: the tblproperties config of the model, and on a
    Delta table with an enforced contract each contract constraint as a Delta CHECK constraint
    (delta.constraints.<name> = <expression>; show tblproperties lists them). Delta checks them
    on the write that creates the table and on every later write (the insert or merge of an
    incremental run): a violating row fails it and nothing is committed. In the create
    statement, not in an alter table add constraint after it, which dbt-spark does: that is
    one more commit and one more scan of the whole table per constraint (about 1 s each).
-#}
{% macro spark__tblproperties_clause() -%}
    {%- set properties = dict(config.get('tblproperties') or {}) -%}
    {%- if config.get('file_format') == 'delta' and config.get('contract').enforced -%}
        {%- for constraint in contract_check_constraints(model) -%}
            {%- do properties.update({
                'delta.constraints.' ~ constraint.name: constraint.expression
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {#- The list in one literal: an open bracket in the text of a macro, closed after a jinja
        loop, is beyond the layout rule LT02 of sqlfluff (the jinja templater of pre-commit). -#}
    {%- set assignments = [] -%}
    {%- for name, value in properties.items() -%}
        {%- do assignments.append(sql_string_literal(name) ~ ' = ' ~ sql_string_literal(value)) -%}
    {%- endfor -%}
    {%- if assignments %}
    tblproperties ({{ assignments | join(', ') }})
    {%- endif %}
{%- endmacro %}
