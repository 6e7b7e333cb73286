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
    The daily run recomputes only the sessions that landed a version since the last successful
    build or wait in quarantine for a customer or title now known (daily_recomputed_keys),
    with the held rows of the other sessions of the days those stand or stood on, and
    compares those days alone.
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

{#- the daily run: only the sessions that landed a version or wait for a key now known -#}
{%- set daily = daily_recomputed_keys(
    source('shop', 'viewing_sessions'), 'session_id', 'quarantine_shop__viewing_sessions',
    viewing_session_lookups(),
) -%}
{#- and the days they stand on now or stood on before, which the run replaces -#}
{%- set held_others, held_days = '', none -%}
{%- if daily -%}
    {#- every day any version of theirs starts on (a superset of where they stand now) -#}
    {%- set on_days = in_values_of(
        'session_date', 'select distinct cast(session_date as string) from ('
        ~ ' select to_date(started_at) as session_date from '
        ~ source('shop', 'viewing_sessions') ~ ' where ' ~ daily
        ~ ' union all select session_date from ' ~ this ~ ' where ' ~ daily ~ ')'
    ) -%}
    {#- the other sessions of those days, as held (restamped: a day is replaced whole) -#}
    {%- set kept = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) -%}
        {%- do kept.append(
            built_at() ~ ' as built_at' if column.name == 'built_at' else 'held.' ~ column.name
        ) -%}
    {%- endfor -%}
    {%- set held_others = 'union all select ' ~ kept | join(', ') ~ ' from ' ~ this
        ~ ' as held where ' ~ on_days ~ ' and not (' ~ daily ~ ')' -%}
    {%- set held_days = '(select * from ' ~ this ~ ' where ' ~ on_days ~ ')' -%}
{%- endif %}

with

sessions as (
    select * from {{ ref('base_shop__viewing_sessions') }}
    {%- if daily %}
        where {{ daily }}
    {%- endif %}
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

recomputed as (
    select * from passed
    {{ held_others }}
),

changed as (
    {{ changed_since_last_run('recomputed', 'session_id', 'session_date', held=held_days) }}
)

select * from changed
