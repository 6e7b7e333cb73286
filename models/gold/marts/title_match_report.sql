{#-
    How titles matched across sources: matched, CSV-only, TMDB-only, ambiguous, catalog-only.
    Counted from the matching itself (a title of dim_title is its CSV title, its TMDB movie
    or its catalog title, with the match int_titles_matched made), not from dim_title, whose
    TMDB figures change every day: the report changes only when titles or matches do, and the
    daily run keeps it on the other days (keep_unchanged).
-#}
{{ config(keep_unchanged='inputs') }}

with

csv_titles as (
    select title_id from {{ ref('int_titles_deduplicated') }}
),

matches as (
    select * from {{ ref('int_titles_matched') }}
),

catalog as (
    select * from {{ ref('int_catalog_titles_conformed') }}
),

matched_csv_titles as (
    -- a match is unambiguous both ways: one TMDB movie per matched CSV title
    select count(*) as title_count from matches
    where match_outcome = 'matched'
),

counted as (
    select
        'matched' as match_outcome,
        title_count
    from matched_csv_titles
    union all
    select
        'csv_only' as match_outcome,
        (select count(*) from csv_titles) - matched_csv_titles.title_count as title_count
    from matched_csv_titles
    union all
    select
        'tmdb_only' as match_outcome,
        count(*) as title_count
    from matches
    where match_outcome = 'tmdb_only'
    union all
    select
        'ambiguous' as match_outcome,
        count(*) as title_count
    from matches
    where match_outcome = 'ambiguous'
    union all
    select
        'catalog_only' as match_outcome,
        count(*) as title_count
    from catalog
    where conformed_title_id like 'catalog:%'
)

select * from counted
