{#-
    Every extracted TMDB genre record, cleaned, with the first rule it breaks
    (quarantine_reason, null when none): the rules of stg_tmdb__genres and its quarantine.
-#}
with

source as (
    select * from {{ source('tmdb', 'genres') }}
),

cleaned as (
    select
        cast(id as int) as genre_id,
        nullif(trim(name), '') as genre_name,
        _language as language_code,
        {{ bronze_load_date() }} as load_date,
        _extracted_at as extracted_at
    from source
),

validated as (
    select
        *,
        case
            when genre_id is null then 'malformed_id'
            when genre_name is null then 'missing_name'
        end as quarantine_reason
    from cleaned
)

select * from validated
