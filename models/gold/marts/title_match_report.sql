{#- How titles matched across sources: matched, CSV-only, TMDB-only, ambiguous, catalog-only. -#}
with

titles as (
    -- one row per title: its canonical key
    select * from {{ ref('dim_title') }}
    where title_key = canonical_title_key
),

matches as (
    select * from {{ ref('int_titles_matched') }}
),

counted as (
    select
        'matched' as match_outcome,
        count(*) as title_count
    from titles
    where title_source = 'csv+tmdb'
    union all
    select
        'csv_only' as match_outcome,
        count(*) as title_count
    from titles
    where title_source = 'csv'
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
    from titles
    where title_source = 'catalog'
)

select * from counted
