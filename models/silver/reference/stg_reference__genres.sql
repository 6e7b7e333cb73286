with

source as (
    select * from {{ ref('tmdb_genres') }}
),

renamed as (
    select
        cast(genre_id as int) as genre_id,
        trim(genre_name_en) as genre_name_en,
        trim(genre_name_pt_br) as genre_name_pt_br,
        nullif(trim(imdb_genre_name), '') as imdb_genre_name,
        cast(genre_id = 27 as boolean) as is_horror
    from source
)

select * from renamed
