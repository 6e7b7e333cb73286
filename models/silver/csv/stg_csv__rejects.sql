{#-
    One row per CSV line that could not be parsed into columns (bronze csv/rejects), with the
    table its file feeds: as ingestion recorded it, else (lines landed before it did) the file
    name without its extension (movies.csv -> movies).
-#}
with

source as (
    select * from {{ source('csv', 'rejects') }}
),

renamed as (
    select
        {{ surrogate_key(['_source_sha256', 'line_number', '_dlt_load_id']) }} as reject_key,
        source_file,
        coalesce(source_table, regexp_extract(source_file, '^([^.]+)', 1)) as source_table,
        reason as reject_reason,
        detail,
        raw_line,
        line_number,
        1 as source_row_count,
        {{ bronze_load_date() }} as load_date,
        _loaded_at as loaded_at
    from source
)

select * from renamed
