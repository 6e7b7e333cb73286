{#-
    One row per TMDB movie per extraction day (the day's snapshot): when several discover
    queries of a day returned the same movie (it has several of the requested genres), the
    latest record is kept and source_row_count counts them all.
-#}
with

source as (
    select * from {{ source('tmdb', 'discover_movies') }}
),

renamed as (
    select
        id as tmdb_id,
        trim(title) as title,
        trim(original_title) as original_title,
        original_language,
        release_date as release_date_text,
        to_date(release_date, 'yyyy-MM-dd') as release_date,
        from_json(genre_ids, 'array<int>') as genre_ids,
        popularity,
        vote_average,
        vote_count,
        make_date(year, month, day) as extraction_date,
        _extracted_at as extracted_at,
        _genre_query as genre_query,
        _page as page
    from source
),

validated as (
    select
        *,
        case
            when tmdb_id is null then 'malformed_id'
            when title is null or title = '' then 'missing_title'
            when release_date_text is not null and release_date is null then 'unparsable_date'
            when vote_average not between 0 and 10 then 'rating_out_of_range'
        end as quarantine_reason
    from renamed
),

ranked as (
    select
        *,
        row_number() over (
            partition by tmdb_id, extraction_date
            order by extracted_at desc, genre_query asc, page asc
        ) as record_rank,
        count(*) over (partition by tmdb_id, extraction_date) as source_row_count
    from validated
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
