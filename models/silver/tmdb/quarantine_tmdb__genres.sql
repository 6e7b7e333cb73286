{#- TMDB genre records that break a rule (no id, no name), with the first rule. -#}
with

records as (
    select * from {{ ref('base_tmdb__genres') }}
),

quarantined as (
    select
        genre_id,
        genre_name,
        language_code,
        quarantine_reason,
        1 as source_row_count,
        load_date,
        extracted_at
    from records
    where quarantine_reason is not null
)

select * from quarantined
