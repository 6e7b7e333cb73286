{#-
    One row per valid viewing session (its latest version), partitioned by session date.
    Incremental: a run rebuilds only the session dates that the sessions with a version first
    landed since the last run stand on, now or before (session_dates_to_rewrite: a session
    moved to another day or quarantined leaves its old day); insert_overwrite replaces exactly
    those partitions (the partition column comes last, as the Spark dynamic partition
    overwrite requires). On Delta that replace is one commit: readers see the dates before or
    after it, never between. Not merge on session_id: a run recomputes every session of a
    touched date from bronze, so replacing the date is exact (a session that now fails a rule
    leaves it), where a merge would have to join the whole table on its key and would never
    remove such a row.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        partition_by=['session_date'],
        on_schema_change='fail',
    )
}}

{%- set sessions_filter -%}
    {%- if is_incremental() -%}
        {#- the watermark, a literal (last_loaded_at), read once when dbt compiles the model -#}
        session_date in ({{ session_dates_to_rewrite(last_loaded_at()) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endset -%}

with

sessions as (
    select * from {{ ref('base_shop__viewing_sessions') }}
),

passed as (
    select
        session_id,
        customer_id,
        catalog_title_id,
        device,
        minutes_watched,
        rating,
        source_row_count,
        is_completed,
        started_at,
        updated_at,
        loaded_at,
        session_date
    from sessions
    where quarantine_reason is null and {{ sessions_filter }}
)

select * from passed
