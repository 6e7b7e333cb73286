{#- TMDB discover records that break a rule (no id, no title, an unparsable date, a vote
    outside 0-10). -#}
with

source as (
    select * from {{ source('tmdb', 'discover_movies') }}
),

validated as (
    select
        id as tmdb_id,
        title,
        release_date as release_date_text,
        vote_average,
        make_date(year, month, day) as extraction_date,
        make_date(year, month, day) as load_date,
        case
            when id is null then 'malformed_id'
            when nullif(trim(title), '') is null then 'missing_title'
            when release_date is not null and to_date(release_date, 'yyyy-MM-dd') is null
                then 'unparsable_date'
            when vote_average not between 0 and 10 then 'rating_out_of_range'
        end as quarantine_reason,
        1 as source_row_count
    from source
)

select * from validated
where quarantine_reason is not null
