{#-
    One row per node per dbt invocation, as cinelake ops record wrote it. A view: the
    record is written after the build, and the run history must show the build just done.
-#}
{{ config(materialized='view') }}

with

source as (
    select * from {{ source('dbt', 'dbt_node_runs') }}
),

renamed as (
    select
        {{ surrogate_key(['invocation_id', 'node_id']) }} as node_run_key,
        invocation_id,
        node_id,
        resource_type,
        layer,
        materialized,
        relation,
        status as node_status,
        seconds as node_seconds,
        rows_affected,
        failures as failing_rows,
        table_rows,
        1 as source_row_count,
        invocation_started_at,
        started_at,
        completed_at
    from source
)

select * from renamed
