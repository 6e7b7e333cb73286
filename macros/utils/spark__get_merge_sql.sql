{#-
    The merge of dbt-spark, with one change for a model merged on one key column (the merged
    models of changed_since_last_run): the target is read only in the range of the keys
    merged. Delta finds the rows a merge matches by joining the source with the whole target,
    since it can skip no file on a join: every daily merge of stg_shop__payments read its
    270,000 rows to match a few hundred new payments. Here the changed rows are written once
    to a scratch Parquet table (changed_rows_table, as in get_insert_overwrite_sql: the
    compare runs once), their smallest and largest key are read from it, and the merge says
    DBT_INTERNAL_DEST.key between those two literals in its condition, a predicate on the
    target alone, with which Delta skips the files whose keys lie outside: new payments and
    subscriptions take growing ids, so a day merges into the newest files only. Exact: every
    row a source row can match holds the same key, inside the range. No changed row, no
    merge. The statement dbt runs as the model is the drop of the scratch table (a failed run
    leaves it, and the next run drops it first).
    Any other merge (a composite key, no key): the statement of dbt-spark as it is.
-#}
{% macro spark__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) %}
    {%- if not (unique_key is string) -%}
        {{ return(dbt.spark__get_merge_sql(
            target, source, unique_key, dest_columns, incremental_predicates
        )) }}
    {%- endif -%}
    {%- set changed = changed_rows_table(target, source) -%}
    {%- set bounds = run_query(
        'select min(' ~ unique_key ~ '), max(' ~ unique_key ~ ') from ' ~ changed
    ).rows[0] -%}
    {%- if bounds[0] is not none -%}
        {%- set literals = [] -%}
        {%- for bound in bounds -%}
            {%- do literals.append(sql_key_literal(bound)) -%}
        {%- endfor -%}
        {%- set predicates = (incremental_predicates or []) + [
            'DBT_INTERNAL_DEST.' ~ unique_key ~ ' between ' ~ literals | join(' and ')
        ] -%}
        {%- do run_query(dbt.spark__get_merge_sql(
            target, changed, unique_key, dest_columns, predicates
        )) -%}
    {%- endif %}
    drop table if exists {{ changed }}
{% endmacro %}
