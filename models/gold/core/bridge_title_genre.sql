{#-
    One row per title and genre: CSV genres for CSV titles, TMDB genre ids for TMDB-only
    movies. The keys come from the key map (int_title_keys) and the TMDB genres from
    int_tmdb_movie_genres, not from dim_title and the TMDB days, whose figures change every
    day: the bridge changes only when genres or keys do, and the daily run keeps it on the
    other days (keep_unchanged).
-#}
{{ config(keep_unchanged='inputs') }}

with

titles as (
    -- one row per conformed title: its canonical key (the title_key of its dim_title row)
    select distinct
        conformed_title_id,
        canonical_title_key as title_key
    from {{ ref('int_title_keys') }}
    where is_current
),

genres as (
    select * from {{ ref('dim_genre') }}
),

csv_genres as (
    select * from {{ ref('int_title_genres_split') }}
),

tmdb_genres as (
    select * from {{ ref('int_tmdb_movie_genres') }}
),

from_csv as (
    select
        titles.title_key,
        genres.genre_key
    from csv_genres
    inner join titles
        on csv_genres.title_id = titles.conformed_title_id
    inner join genres
        on csv_genres.imdb_genre_name = genres.genre_name
),

from_tmdb as (
    -- a TMDB movie no CSV title matched: conformed as tmdb:<id> (int_title_keys)
    select
        titles.title_key,
        genres.genre_key
    from tmdb_genres
    inner join titles
        on concat('tmdb:', tmdb_genres.tmdb_id) = titles.conformed_title_id
    inner join genres
        on tmdb_genres.tmdb_genre_id = genres.tmdb_genre_id
),

unioned as (
    select * from from_csv
    union
    select * from from_tmdb
)

select
    {{ surrogate_key(['title_key', 'genre_key']) }} as title_genre_key,
    title_key,
    genre_key,
    {{ built_at() }} as built_at
from unioned
