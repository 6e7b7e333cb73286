{#-
    One row per TMDB movie and genre id it was returned with on any extraction day: the TMDB
    genres of bridge_title_genre, apart from the figures of the day (popularity, votes), so
    that a day that changes only those figures commits nothing here and keeps the bridge.
-#}
{{ config(keep_unchanged='rows') }}

with

tmdb_days as (
    select * from {{ ref('stg_tmdb__discover_movies') }}
),

movie_genres as (
    select distinct
        tmdb_id,
        explode(genre_ids) as tmdb_genre_id
    from tmdb_days
)

select * from movie_genres
