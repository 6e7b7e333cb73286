{#-
    One row per valid viewing session (its latest version), partitioned by session date.
    Incremental: a run rebuilds only the session dates where a session now stands or stood
    whose row differs from the one held (changed_since_last_run: a new version, a session
    moved to another day or quarantined, a session whose customer or title became known
    later); insert_overwrite replaces exactly those partitions, by name (get_insert_overwrite_sql:
    a date left with no session is emptied too). On Delta that replace is one commit:
    readers see the dates before or after it, never between. Not merge on session_id:
    a merge never removes a row, and a session that now breaks a rule must leave silver;
    replacing its date, recomputed whole, does that.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        unique_key='session_id',
        partition_by=['session_date'],
        on_schema_change='fail',
    )
}}

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
        {{ built_at() }} as built_at,
        session_date
    from sessions
    where quarantine_reason is null
),

changed as (
    {{ changed_since_last_run('passed', 'session_id', 'session_date') }}
)

select * from changed
