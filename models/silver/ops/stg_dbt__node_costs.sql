{#-
    One row per node per dbt invocation: what Spark did for it, as cinelake ops record
    collected it from the REST API of the Thrift server. A view, like stg_dbt__node_runs.
-#}
{{ config(materialized='view') }}

with

source as (
    select * from {{ source('dbt', 'dbt_node_costs') }}
),

renamed as (
    select
        {{ surrogate_key(['invocation_id', 'node_id']) }} as node_run_key,
        invocation_id,
        node_id,
        spark_jobs,
        stages as spark_stages,
        tasks as spark_tasks,
        cast(executor_run_time_ms as double) / 1000 as executor_seconds,
        cast(executor_cpu_time_ms as double) / 1000 as executor_cpu_seconds,
        rows_read,
        bytes_read,
        rows_written,
        bytes_written,
        shuffle_read_bytes,
        shuffle_write_bytes,
        memory_spilled_bytes + disk_spilled_bytes as spilled_bytes,
        disk_spilled_bytes,
        1 as source_row_count
    from source
)

select * from renamed
