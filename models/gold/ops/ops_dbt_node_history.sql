{#-
    Run history per dbt invocation and node: status, seconds, rows of the table built, and
    what Spark did for it (executor time, rows read and written, shuffle, spill). A view over
    the run history that cinelake ops record writes after each build, so the build just
    recorded shows without another build.
-#}
{{ config(materialized='view') }}

with

node_runs as (
    select * from {{ ref('stg_dbt__node_runs') }}
),

node_costs as (
    select * from {{ ref('stg_dbt__node_costs') }}
),

joined as (
    select
        node_runs.node_run_key,
        node_runs.invocation_id,
        node_runs.node_id,
        node_runs.resource_type,
        node_runs.layer,
        node_runs.materialized,
        node_runs.relation,
        node_runs.node_status,
        node_runs.node_seconds,
        node_runs.table_rows,
        node_runs.failing_rows,
        coalesce(node_costs.spark_jobs, 0) as spark_jobs,
        coalesce(node_costs.executor_seconds, 0) as executor_seconds,
        coalesce(node_costs.executor_cpu_seconds, 0) as executor_cpu_seconds,
        coalesce(node_costs.rows_read, 0) as rows_read,
        coalesce(node_costs.rows_written, 0) as rows_written,
        coalesce(node_costs.shuffle_read_bytes, 0)
        + coalesce(node_costs.shuffle_write_bytes, 0) as shuffle_bytes,
        coalesce(node_costs.spilled_bytes, 0) as spilled_bytes,
        node_costs.node_run_key is not null as has_spark_cost,
        node_runs.invocation_started_at,
        node_runs.started_at,
        node_runs.completed_at
    from node_runs
    left join node_costs
        on node_runs.node_run_key = node_costs.node_run_key
)

select * from joined
