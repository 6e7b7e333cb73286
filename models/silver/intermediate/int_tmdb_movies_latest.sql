{#- One row per TMDB movie: its record of the latest extraction day that returned it. -#}
with

tmdb_days as (
    select * from {{ ref('stg_tmdb__discover_movies') }}
),

ranked as (
    select
        *,
        row_number() over (partition by tmdb_id order by extraction_date desc) as day_rank
    from tmdb_days
),

latest as (
    select
        tmdb_id,
        title,
        original_title,
        title_match_key,
        original_language,
        genre_ids,
        popularity,
        vote_average,
        vote_count,
        release_year,
        release_date,
        extraction_date
    from ranked
    where day_rank = 1
)

select * from latest
