{#- One row per title and genre: the comma list of the CSV split, mapped to TMDB genre ids. -#}
with

titles as (
    select * from {{ ref('int_titles_deduplicated') }}
),

genres as (
    select * from {{ ref('stg_reference__genres') }}
),

split_genres as (
    select distinct
        titles.title_id,
        trim(exploded.genre_name) as imdb_genre_name
    from titles
        lateral view explode(split(titles.genres, ',')) exploded as genre_name
    where titles.genres is not null and trim(exploded.genre_name) != ''
),

mapped as (
    select
        {{ surrogate_key(['split_genres.title_id', 'split_genres.imdb_genre_name']) }}
            as title_genre_key,
        split_genres.title_id,
        split_genres.imdb_genre_name,
        genres.genre_id as tmdb_genre_id,
        genres.genre_name_pt_br
    from split_genres
    left join genres
        on split_genres.imdb_genre_name = genres.imdb_genre_name
)

select * from mapped
