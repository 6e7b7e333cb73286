{#- One row per title and genre: CSV genres for CSV titles, TMDB genre ids for TMDB-only movies. -#}
with

titles as (
    -- one row per title: its canonical key
    select * from {{ ref('dim_title') }}
    where title_key = canonical_title_key
),

genres as (
    select * from {{ ref('dim_genre') }}
),

csv_genres as (
    select * from {{ ref('int_title_genres_split') }}
),

tmdb_days as (
    select * from {{ ref('stg_tmdb__discover_movies') }}
),

from_csv as (
    select
        titles.title_key,
        genres.genre_key
    from csv_genres
    inner join titles
        on csv_genres.title_id = titles.imdb_id
    inner join genres
        on csv_genres.imdb_genre_name = genres.genre_name
),

tmdb_genre_ids as (
    select distinct
        tmdb_id,
        explode(genre_ids) as tmdb_genre_id
    from tmdb_days
),

from_tmdb as (
    select
        titles.title_key,
        genres.genre_key
    from tmdb_genre_ids
    inner join titles
        on
            tmdb_genre_ids.tmdb_id = titles.tmdb_id
            and titles.title_source = 'tmdb'
    inner join genres
        on tmdb_genre_ids.tmdb_genre_id = genres.tmdb_genre_id
),

unioned as (
    select * from from_csv
    union
    select * from from_tmdb
)

select
    {{ surrogate_key(['title_key', 'genre_key']) }} as title_genre_key,
    title_key,
    genre_key
from unioned
