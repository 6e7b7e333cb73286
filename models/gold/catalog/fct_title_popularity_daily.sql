{#- Periodic snapshot: one row per TMDB movie per extraction day, with its rank that day. -#}
with

tmdb_days as (
    select * from {{ ref('stg_tmdb__discover_movies') }}
),

titles as (
    -- one row per title: its canonical key
    select * from {{ ref('dim_title') }}
    where title_key = canonical_title_key
),

joined as (
    select
        titles.title_key,
        cast(date_format(tmdb_days.extraction_date, 'yyyyMMdd') as int) as date_key,
        tmdb_days.tmdb_id,
        tmdb_days.popularity,
        cast(rank() over (
            partition by tmdb_days.extraction_date order by tmdb_days.popularity desc
        ) as int) as popularity_rank,
        tmdb_days.vote_average,
        tmdb_days.vote_count,
        tmdb_days.extraction_date
    from tmdb_days
    inner join titles
        on tmdb_days.tmdb_id = titles.tmdb_id
)

select * from joined
