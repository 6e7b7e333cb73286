{#-
    One row per title, conformed across the CSV files, TMDB and the shop catalog: a CSV title
    (with its TMDB movie when int_titles_matched matched one), a TMDB movie no CSV title
    matched, or a catalog title known to neither. IMDb figures from the CSV, the latest TMDB
    snapshot popularity and votes.
-#}
with

csv_titles as (
    select * from {{ ref('int_titles_deduplicated') }}
),

tmdb_latest as (
    select * from {{ ref('int_tmdb_movies_latest') }}
),

matches as (
    select * from {{ ref('int_titles_matched') }}
),

catalog as (
    select * from {{ ref('stg_shop__catalog_titles') }}
),

conformed_catalog as (
    select * from {{ ref('int_catalog_titles_conformed') }}
),

title_keys as (
    select distinct
        title_key,
        canonical_title_key,
        conformed_title_id
    from {{ ref('int_title_keys') }}
    where is_current
),

tmdb_movies as (
    select
        tmdb_latest.*,
        matches.title_id as matched_title_id,
        matches.match_outcome
    from tmdb_latest
    inner join matches
        on tmdb_latest.tmdb_id = matches.tmdb_id
),

from_csv as (
    select
        csv_titles.title_id as conformed_title_id,
        csv_titles.title_id as imdb_id,
        tmdb_movies.tmdb_id,
        csv_titles.primary_title,
        csv_titles.original_title,
        csv_titles.title_type,
        case when tmdb_movies.tmdb_id is null then 'csv' else 'csv+tmdb' end as title_source,
        csv_titles.genres,
        csv_titles.start_year,
        csv_titles.end_year,
        csv_titles.runtime_minutes,
        csv_titles.average_rating as imdb_average_rating,
        csv_titles.num_votes as imdb_num_votes,
        tmdb_movies.popularity as tmdb_popularity,
        tmdb_movies.vote_average as tmdb_vote_average,
        tmdb_movies.vote_count as tmdb_vote_count,
        csv_titles.is_horror
    from csv_titles
    left join tmdb_movies
        on csv_titles.title_id = tmdb_movies.matched_title_id
),

from_tmdb as (
    select
        concat('tmdb:', tmdb_id) as conformed_title_id,
        cast(null as string) as imdb_id,
        tmdb_id,
        title as primary_title,
        original_title,
        'movie' as title_type,
        'tmdb' as title_source,
        cast(null as string) as genres,
        release_year as start_year,
        cast(null as int) as end_year,
        cast(null as int) as runtime_minutes,
        cast(null as decimal(4, 1)) as imdb_average_rating,
        cast(null as bigint) as imdb_num_votes,
        popularity as tmdb_popularity,
        vote_average as tmdb_vote_average,
        vote_count as tmdb_vote_count,
        array_contains(genre_ids, 27) as is_horror
    from tmdb_movies
    where matched_title_id is null
),

from_catalog as (
    select
        conformed_catalog.conformed_title_id,
        cast(null as string) as imdb_id,
        cast(null as bigint) as tmdb_id,
        catalog.service_title as primary_title,
        cast(null as string) as original_title,
        catalog.title_type,
        'catalog' as title_source,
        cast(null as string) as genres,
        catalog.release_year as start_year,
        cast(null as int) as end_year,
        catalog.runtime_minutes,
        cast(null as decimal(4, 1)) as imdb_average_rating,
        cast(null as bigint) as imdb_num_votes,
        cast(null as double) as tmdb_popularity,
        cast(null as double) as tmdb_vote_average,
        cast(null as bigint) as tmdb_vote_count,
        false as is_horror
    from conformed_catalog
    inner join catalog
        on conformed_catalog.catalog_title_id = catalog.catalog_title_id
    where conformed_catalog.conformed_title_id like 'catalog:%'
),

unioned as (
    select * from from_csv
    union all
    select * from from_tmdb
    union all
    select * from from_catalog
),

final as (
    select
        title_keys.title_key,
        title_keys.canonical_title_key,
        unioned.conformed_title_id,
        unioned.imdb_id,
        unioned.tmdb_id,
        unioned.primary_title,
        unioned.original_title,
        unioned.title_type,
        unioned.title_source,
        unioned.genres,
        unioned.start_year,
        unioned.end_year,
        unioned.runtime_minutes,
        unioned.imdb_average_rating,
        unioned.imdb_num_votes,
        unioned.tmdb_popularity,
        unioned.tmdb_vote_average,
        unioned.tmdb_vote_count,
        unioned.is_horror
    from unioned
    inner join title_keys
        on unioned.conformed_title_id = title_keys.conformed_title_id
)

select * from final
