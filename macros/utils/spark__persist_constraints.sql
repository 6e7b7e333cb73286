{#-
    The contract constraints as Delta table constraints (show tblproperties lists them as
    delta.constraints.<name>), so that every later write to the table is checked by Delta
    itself: the insert overwrite of an incremental run with a violating row fails and commits
    nothing. create or replace drops them, so a rebuild adds them again (its rows were
    already checked while written: spark__get_select_subquery); an incremental run keeps
    them. Replaces the dbt-spark macro, whose alter column set not null Spark 4 refuses on a Delta
    table ("Cannot change nullable column to non-nullable"): a not_null is a check here.
-#}
{% macro spark__persist_constraints(relation, model) %}
    {%- if config.get('contract').enforced and config.get('file_format') == 'delta'
        and not is_incremental() -%}
        {%- for constraint in contract_check_constraints(model) -%}
            {%- call statement('add_constraint_' ~ loop.index) -%}
                alter table {{ relation }} add constraint {{ constraint.name }}
                check ({{ constraint.expression }})
            {%- endcall -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
