{#- TMDB discover records that break a rule of base_tmdb__discover_movies, with the first. -#}
with

records as (
    select * from {{ ref('base_tmdb__discover_movies') }}
),

quarantined as (
    select
        tmdb_id,
        title_as_extracted as title,
        release_date_text,
        vote_average,
        extraction_date,
        extraction_date as load_date,
        quarantine_reason,
        1 as source_row_count
    from records
    where quarantine_reason is not null
)

select * from quarantined
