{#- One row per TMDB genre and language, from the latest extraction. -#}
with

source as (
    select * from {{ source('tmdb', 'genres') }}
),

ranked as (
    select
        cast(id as int) as genre_id,
        trim(name) as genre_name,
        _language as language_code,
        _extracted_at as extracted_at,
        row_number() over (partition by id, _language order by _extracted_at desc) as record_rank,
        count(*) over (partition by id, _language) as source_row_count
    from source
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
