{#-
    One row per TMDB movie per extraction day (the snapshot of the day): when several discover
    queries of a day returned the same movie (it has several of the requested genres), the
    latest record is kept and source_row_count counts them all. Rules: base_tmdb__discover_movies.
-#}
with

records as (
    select * from {{ ref('base_tmdb__discover_movies') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by tmdb_id, extraction_date
            order by extracted_at desc, genre_query asc, page asc
        ) as record_rank,
        count(*) over (partition by tmdb_id, extraction_date) as source_row_count
    from records
    where quarantine_reason is null
),

latest as (
    select
        {{ surrogate_key(['tmdb_id', 'extraction_date']) }} as movie_day_key,
        tmdb_id,
        title,
        original_title,
        {{ normalize_title('title') }} as title_match_key,
        original_language,
        genre_ids,
        popularity,
        vote_average,
        vote_count,
        year(release_date) as release_year,
        source_row_count,
        release_date,
        extraction_date,
        extracted_at
    from ranked
    where record_rank = 1
)

select * from latest
