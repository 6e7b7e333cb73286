{#-
    The question of seed 002, answered on ids: per release year, the ten horror titles with the
    most IMDb votes, with their rank by the latest TMDB popularity among the horror
    titles. Titles are joined once, by key, never on their names.
-#}
with

titles as (
    select * from {{ ref('dim_title') }}
    where is_horror and start_year is not null and title_key = canonical_title_key
),

ranked as (
    select
        title_key,
        primary_title,
        title_type,
        start_year as release_year,
        imdb_num_votes,
        imdb_average_rating,
        tmdb_popularity,
        cast(row_number() over (
            partition by start_year order by imdb_num_votes desc nulls last, title_key asc
        ) as int) as rank_by_votes,
        cast(row_number() over (
            partition by start_year order by tmdb_popularity desc nulls last, title_key asc
        ) as int) as rank_by_popularity
    from titles
)

select * from ranked
where rank_by_votes <= 10
