{#-
    The insert_overwrite of dbt-spark, with one change for a partitioned Delta model with a
    unique_key (the partitioned models of changed_since_last_run): the partitions are replaced
    by name (insert into ... replace where), not by the rows written. A dynamic insert
    overwrite replaces only the partitions that receive a row, so a partition whose every row
    moved to another day or left the model kept them: the moved row stood twice, the row that
    left stayed. changed_since_last_run gives, for such a partition, a marker row (its grain,
    every other column null). Here the changed rows are written once to a scratch Parquet
    table (<model>__dbt_changed: the compare runs once; Spark did not reuse a cache of the
    view), the partitions to replace are read from it, the insert replaces them by name and
    leaves the markers out, and the statement dbt runs as the model is the drop of the
    scratch table (a failed run leaves it, and the next run drops it first).
    Any other insert_overwrite (no partition, no key, Parquet): the statement of dbt-spark as
    it is (its Iceberg branch left out: no table here is Iceberg).
-#}
{% macro get_insert_overwrite_sql(source_relation, target_relation, existing_relation) -%}
{%- set dest_columns = adapter.get_columns_in_relation(target_relation) -%}
{%- set dest_cols_csv = dest_columns | map(attribute='quoted') | join(', ') -%}
{%- set partition_by = config.get('partition_by') -%}
{%- set key = config.get('unique_key') -%}
{%- if key and partition_by and existing_relation.is_delta -%}
{%- set grains = [partition_by] if partition_by is string else partition_by -%}
{%- if grains | length != 1 -%}
{{ exceptions.raise_compiler_error(
    "replacing partitions by name needs one partition column: " ~ grains
) }}
{%- endif -%}
{%- set grain = grains[0] -%}
{%- set changed = changed_rows_table(target_relation, source_relation) -%}
{%- set replaced = in_values_of(
    grain, 'select distinct cast(' ~ grain ~ ' as string) from ' ~ changed
    ~ ' where ' ~ grain ~ ' is not null'
) -%}
{%- do run_query(
    'insert into ' ~ target_relation ~ ' replace where ' ~ replaced
    ~ ' select ' ~ dest_cols_csv ~ ' from ' ~ changed ~ ' where ' ~ key ~ ' is not null'
) -%}
drop table if exists {{ changed }}
{%- else -%}
insert overwrite table {{ target_relation }}
{{ partition_cols(label="partition") }}
select {{ dest_cols_csv }} from {{ source_relation }}
{%- endif -%}
{%- endmacro %}
