{#- How titles matched across sources: counts of matched, CSV-only, TMDB-only and ambiguous titles. -#}
with

titles as (
    select * from {{ ref('dim_title') }}
),

matches as (
    select * from {{ ref('int_titles_matched') }}
),

counted as (
    select 'matched' as match_outcome, count(*) as title_count
    from titles where title_source = 'csv+tmdb'
    union all
    select 'csv_only', count(*) from titles where title_source = 'csv'
    union all
    select 'tmdb_only', count(*) from matches where match_outcome = 'tmdb_only'
    union all
    select 'ambiguous', count(*) from matches where match_outcome = 'ambiguous'
    union all
    select 'catalog_only', count(*) from titles where title_source = 'catalog'
)

select * from counted
