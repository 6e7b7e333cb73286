{#-
    Staging of a title CSV (movies.csv or series.csv): one row per distinct credit line
    (title x artist) of the latest file version that breaks no rule. Identical lines collapse
    into one row; source_row_count says how many lines it stands for.
-#}
{% macro csv_credits(source_relation, title_type) %}
with

{{ csv_title_lines(source_relation, title_type) }},

passed as (
    select * from validated
    where quarantine_reason is null
),

collapsed as (
    select
        title_id,
        primary_title,
        original_title,
        genres,
        artist_name,
        artist_gender,
        character_name,
        profession,
        known_for_title_ids,
        title_type,
        start_year,
        end_year,
        runtime_minutes,
        average_rating,
        num_votes,
        birth_year,
        death_year,
        count(*) as source_row_count,
        min(source_line) as first_source_line,
        max(loaded_at) as loaded_at
    from passed
    group by
        title_id,
        primary_title,
        original_title,
        genres,
        artist_name,
        artist_gender,
        character_name,
        profession,
        known_for_title_ids,
        title_type,
        start_year,
        end_year,
        runtime_minutes,
        average_rating,
        num_votes,
        birth_year,
        death_year
),

keyed as (
    select
        {{ surrogate_key(['title_id', 'primary_title', 'original_title', 'genres', 'artist_name',
            'artist_gender', 'character_name', 'profession', 'known_for_title_ids', 'start_year',
            'end_year', 'runtime_minutes', 'average_rating', 'num_votes', 'birth_year',
            'death_year']) }} as credit_key,
        title_id,
        primary_title,
        original_title,
        {{ normalize_title('primary_title') }} as title_match_key,
        genres,
        artist_name,
        artist_gender,
        character_name,
        profession,
        known_for_title_ids,
        title_type,
        start_year,
        end_year,
        runtime_minutes,
        average_rating,
        num_votes,
        birth_year,
        death_year,
        source_row_count,
        first_source_line,
        loaded_at
    from collapsed
)

select * from keyed
{% endmacro %}
