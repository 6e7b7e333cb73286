{#-
    Every TMDB discover record, cleaned, with the first rule it breaks (quarantine_reason, null
    when none): the rules of stg_tmdb__discover_movies and its quarantine, written once.
-#}
with

source as (
    select * from {{ source('tmdb', 'discover_movies') }}
),

renamed as (
    select
        id as tmdb_id,
        trim(title) as title,
        title as title_as_extracted,
        trim(original_title) as original_title,
        original_language,
        release_date as release_date_text,
        to_date(release_date, 'yyyy-MM-dd') as release_date,
        from_json(genre_ids, 'array<int>') as genre_ids,
        popularity,
        vote_average,
        vote_count,
        {{ bronze_load_date() }} as extraction_date,
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
)

select * from validated
