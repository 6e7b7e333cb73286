{#-
    The run history of dbt builds, created before every run (on-run-start) so that the ops
    models can read it from the first build on. cinelake ops record fills it after each
    build: one row per (invocation, node) in dbt_node_runs (status, seconds, rows of the
    table built) and in dbt_node_costs (what Spark did for the node). Delta, so that a record
    is one MERGE commit and recording a build twice changes nothing. The edit loop (cinelake
    dev) runs it once when it starts, and skips it on each save with the var ops_tables false.
-#}
{% macro create_ops_tables() -%}
    {%- if not execute or not var('ops_tables', true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- do run_query('create schema if not exists ops') -%}
    {%- call statement('create_dbt_node_runs') -%}
    create table if not exists ops.dbt_node_runs (
        invocation_id string,
        node_id string,
        resource_type string,
        layer string,
        materialized string,
        relation string,
        status string,
        seconds double,
        rows_affected bigint,
        failures bigint,
        table_rows bigint,
        invocation_started_at timestamp,
        started_at timestamp,
        completed_at timestamp
    ) using delta
    {%- endcall -%}
    {%- call statement('create_dbt_node_costs') -%}
    create table if not exists ops.dbt_node_costs (
        invocation_id string,
        node_id string,
        spark_jobs bigint,
        stages bigint,
        tasks bigint,
        executor_run_time_ms bigint,
        executor_cpu_time_ms bigint,
        rows_read bigint,
        bytes_read bigint,
        rows_written bigint,
        bytes_written bigint,
        shuffle_read_bytes bigint,
        shuffle_write_bytes bigint,
        memory_spilled_bytes bigint,
        disk_spilled_bytes bigint
    ) using delta
    {%- endcall -%}
{%- endmacro %}
