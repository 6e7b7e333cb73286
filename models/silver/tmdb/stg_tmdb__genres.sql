{#- One row per TMDB genre and language, from the latest extraction that breaks no rule. -#}
with

records as (
    select * from {{ ref('base_tmdb__genres') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by genre_id, language_code order by extracted_at desc
        ) as record_rank,
        count(*) over (partition by genre_id, language_code) as source_row_count
    from records
    where quarantine_reason is null
),

latest as (
    select
        {{ surrogate_key(['genre_id', 'language_code']) }} as genre_language_key,
        genre_id,
        genre_name,
        language_code,
        source_row_count,
        extracted_at
    from ranked
    where record_rank = 1
)

select * from latest
