{#-
    The one place where CSV titles and TMDB movies are matched: same normalized title and
    same year, movies only, and only when the match is unambiguous both ways (one CSV title
    for the TMDB movie and one TMDB movie for the CSV title). One row per TMDB movie, with
    its CSV title_id when matched and the outcome otherwise; title_match_report counts them.
-#}
{#- its rows change only when a movie or a title does: most days it commits nothing -#}
{{ config(keep_unchanged='rows') }}

with

csv_titles as (
    select * from {{ ref('int_titles_deduplicated') }}
    where title_type = 'movie'
),

tmdb_movies as (
    select * from {{ ref('int_tmdb_movies_latest') }}
),

candidates as (
    select
        tmdb_movies.tmdb_id,
        csv_titles.title_id,
        count(csv_titles.title_id) over (partition by tmdb_movies.tmdb_id) as csv_candidates,
        count(tmdb_movies.tmdb_id) over (partition by csv_titles.title_id) as tmdb_candidates
    from tmdb_movies
    left join csv_titles
        on
            tmdb_movies.title_match_key = csv_titles.title_match_key
            and tmdb_movies.release_year = csv_titles.start_year
),

outcomes as (
    select
        tmdb_id,
        case when csv_candidates = 1 and tmdb_candidates = 1 then title_id end as title_id,
        case
            when csv_candidates = 0 then 'tmdb_only'
            when csv_candidates = 1 and tmdb_candidates = 1 then 'matched'
            else 'ambiguous'
        end as match_outcome,
        csv_candidates
    from candidates
),

one_per_movie as (
    -- ambiguous candidates all carry a null title_id: distinct leaves one row per movie
    select distinct
        tmdb_id,
        title_id,
        match_outcome,
        csv_candidates
    from outcomes
)

select * from one_per_movie
