{#- One row per source table per ingestion run, as the run log wrote it. -#}
with

source as (
    select * from {{ source('ops', 'ingestion_runs') }}
),

renamed as (
    select
        {{ surrogate_key(['run_id', 'source', 'table_name']) }} as ingestion_run_key,
        run_id,
        source as source_name,
        table_name as source_table,
        status as run_status,
        detail,
        rows_in,
        rows_landed,
        rows_rejected,
        bytes as bytes_written,
        seconds as duration_seconds,
        1 as source_row_count,
        load_date,
        started_at,
        finished_at
    from source
)

select * from renamed
