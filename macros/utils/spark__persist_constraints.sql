{#-
    Nothing to do after the table is written: the contract constraints of a Delta model are
    in its create statement (spark__tblproperties_clause), and Delta checked them on that write.
    Replaces the dbt-spark macro, which adds them afterwards with one alter table per
    constraint (each a commit and a scan of the table) and whose alter column set not null
    Spark 4 refuses on a Delta table ("Cannot change nullable column to non-nullable").
-#}
{% macro spark__persist_constraints(relation, model) %}
{% endmacro %}
