{#- One row per genre: TMDB genres (with pt-BR names) and the IMDb-only ones of the CSV files. -#}
with

tmdb_genres as (
    select * from {{ ref('stg_reference__genres') }}
),

title_genres as (
    select * from {{ ref('int_title_genres_split') }}
),

imdb_only as (
    select distinct imdb_genre_name
    from title_genres
    where tmdb_genre_id is null
),

unioned as (
    select
        coalesce(imdb_genre_name, genre_name_en) as genre_name,
        genre_name_en,
        genre_name_pt_br,
        genre_id as tmdb_genre_id,
        imdb_genre_name
    from tmdb_genres
    union all
    select
        imdb_genre_name as genre_name,
        imdb_genre_name as genre_name_en,
        cast(null as string) as genre_name_pt_br,
        cast(null as int) as tmdb_genre_id,
        imdb_genre_name
    from imdb_only
),

final as (
    select
        {{ surrogate_key(['genre_name']) }} as genre_key,
        genre_name,
        genre_name_en,
        genre_name_pt_br,
        tmdb_genre_id,
        imdb_genre_name,
        tmdb_genre_id = 27 as is_horror
    from unioned
)

select * from final
