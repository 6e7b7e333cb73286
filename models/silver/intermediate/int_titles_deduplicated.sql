{#-
    One row per title (movie or series) of the CSV files. A title appears on one line per
    credit and its lines can disagree (a missing runtime on one, a fixed rating on a later
    file version). The kept record is, deterministically: the most complete (most non-null
    attributes), then the latest loaded, then the earliest line in the file.
-#}
with

credits as (
    select * from {{ ref('int_title_credits_unioned') }}
),

title_records as (
    select
        title_id,
        primary_title,
        original_title,
        title_match_key,
        genres,
        title_type,
        start_year,
        end_year,
        runtime_minutes,
        average_rating,
        num_votes,
        loaded_at,
        first_source_line,
        source_row_count,
        (
            cast(original_title is not null as int) + cast(genres is not null as int)
            + cast(end_year is not null as int) + cast(runtime_minutes is not null as int)
            + cast(average_rating is not null as int) + cast(num_votes is not null as int)
        ) as completeness
    from credits
),

ranked as (
    select
        *,
        row_number() over (
            partition by title_id
            order by completeness desc, loaded_at desc, first_source_line asc
        ) as record_rank,
        count(*) over (partition by title_id) as credit_count
    from title_records
),

deduplicated as (
    select
        title_id,
        primary_title,
        original_title,
        title_match_key,
        genres,
        title_type,
        start_year,
        end_year,
        runtime_minutes,
        average_rating,
        num_votes,
        credit_count,
        array_contains(split(coalesce(genres, ''), ','), 'Horror') as is_horror,
        loaded_at
    from ranked
    where record_rank = 1
)

select * from deduplicated
