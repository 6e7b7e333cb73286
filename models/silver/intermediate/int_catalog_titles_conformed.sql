{#-
    The conformed title of each shop catalog title: by its IMDb id when the CSV knows it, else
    by its TMDB id when TMDB knows it, else the catalog title stands alone. Its durable
    title_key is kept by int_title_keys (identity catalog:<catalog_title_id>).
-#}
{#- its rows change only when a catalog title or a match does: most days it commits nothing -#}
{{ config(keep_unchanged='rows') }}

with

catalog as (
    select * from {{ ref('stg_shop__catalog_titles') }}
),

csv_titles as (
    select title_id from {{ ref('int_titles_deduplicated') }}
),

tmdb_matches as (
    select * from {{ ref('int_titles_matched') }}
),

conformed as (
    select
        catalog.catalog_title_id,
        case
            when csv_titles.title_id is not null then csv_titles.title_id
            when tmdb_matches.title_id is not null then tmdb_matches.title_id
            when tmdb_matches.tmdb_id is not null then concat('tmdb:', tmdb_matches.tmdb_id)
            else concat('catalog:', catalog.catalog_title_id)
        end as conformed_title_id
    from catalog
    left join csv_titles
        on catalog.imdb_id = csv_titles.title_id
    left join tmdb_matches
        on catalog.tmdb_id = tmdb_matches.tmdb_id
)

select * from conformed
