{#- Quarantine of a title CSV: lines that parse but break a rule, with the first rule. -#}
{% macro csv_quarantine(source_relation, title_type) %}
with

{{ csv_title_lines(source_relation, title_type) }},

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
    from validated
    where quarantine_reason is not null
)

select * from quarantined
{% endmacro %}
