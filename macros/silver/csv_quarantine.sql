{#-
    Quarantine of a title CSV: lines that parse but break a rule, with the first rule, read
    from the base model of the file (base_csv__movies or base_csv__series).
-#}
{% macro csv_quarantine(base_relation) %}
with

lines as (
    select * from {{ base_relation }}
),

quarantined as (
    select
        source_file,
        source_line,
        quarantine_reason,
        title_id,
        primary_title,
        start_year_text,
        rating_text,
        votes_text,
        runtime_text,
        1 as source_row_count,
        load_date,
        loaded_at
    from lines
    where quarantine_reason is not null
)

select * from quarantined
{% endmacro %}
