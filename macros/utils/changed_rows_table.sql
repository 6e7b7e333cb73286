{#-
    The scratch table of an incremental run: the rows of the temporary view of the model
    (source), written once to <target>__dbt_changed as Parquet, so that the compare of
    changed_since_last_run runs once however many statements then read its result (Spark did
    not reuse a cache of the view). Dropped first, should a failed run have left it; the
    strategy that calls it drops it as its last statement. Returns the table. Read by
    get_insert_overwrite_sql and spark__get_merge_sql.
-#}
{% macro changed_rows_table(target, source) %}
    {%- set changed = target.incorporate(
        path={'identifier': target.identifier ~ '__dbt_changed'}
    ) -%}
    {%- do run_query('drop table if exists ' ~ changed) -%}
    {%- do run_query('create table ' ~ changed ~ ' using parquet as select * from ' ~ source) -%}
    {{ return(changed) }}
{% endmacro %}
