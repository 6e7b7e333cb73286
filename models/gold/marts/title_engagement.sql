{#-
    Per title: views, viewers, minutes, completion and stars, beside IMDb and TMDB ratings.
    Sessions are counted under the canonical key of their title: the sessions of a title merged
    into another (an older key, still valid in the fact) count for the title they are now.
-#}
with

sessions as (
    select * from {{ ref('fct_viewing_sessions') }}
),

titles as (
    select * from {{ ref('dim_title') }}
),

per_title as (
    select
        titles.canonical_title_key as title_key,
        count(*) as view_count,
        count(distinct sessions.customer_id) as viewers,
        sum(sessions.minutes_watched) as minutes_watched,
        avg(cast(sessions.is_completed as int)) as completion_rate,
        avg(sessions.rating) as average_stars,
        count(sessions.rating) as star_ratings
    from sessions
    inner join titles
        on sessions.title_key = titles.title_key
    group by titles.canonical_title_key
),

final as (
    select
        titles.title_key,
        titles.primary_title,
        titles.title_type,
        per_title.view_count,
        per_title.viewers,
        per_title.minutes_watched,
        cast(per_title.completion_rate as double) as completion_rate,
        cast(per_title.average_stars as double) as average_stars,
        per_title.star_ratings,
        titles.imdb_average_rating,
        titles.tmdb_vote_average,
        titles.is_horror
    from per_title
    inner join titles
        on per_title.title_key = titles.title_key
)

select * from final
