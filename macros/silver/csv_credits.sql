{#-
    Staging of a title CSV (movies.csv or series.csv): one row per distinct credit line
    (title x artist) of the latest file version that breaks no rule, read from the base
    model (base_csv__movies or base_csv__series). Identical lines collapse into one row;
    source_row_count says how many lines it stands for.
-#}
{% macro csv_credits(base_relation) %}
{#- The cleaned values of a credit line: identical values collapse into one credit. -#}
{%- set credit_columns = [
    'title_id', 'primary_title', 'original_title', 'genres', 'artist_name', 'artist_gender',
    'character_name', 'profession', 'known_for_title_ids', 'title_type', 'start_year',
    'end_year', 'runtime_minutes', 'average_rating', 'num_votes', 'birth_year', 'death_year',
] -%}
with

lines as (
    select * from {{ base_relation }}
),

passed as (
    select * from lines
    where quarantine_reason is null
),

collapsed as (
    select
        {{ credit_columns | join(',\n        ') }},
        count(*) as source_row_count,
        min(source_line) as first_source_line,
        max(loaded_at) as loaded_at
    from passed
    group by {{ credit_columns | join(', ') }}
),

keyed as (
    select
        {{ surrogate_key(credit_columns) }} as credit_key,
        {{ normalize_title('primary_title') }} as title_match_key,
        *
    from collapsed
)

select * from keyed
{% endmacro %}
