{#-
    One row per valid viewing session, keyed to the customer version valid when it started,
    the durable key of the title and the date. Partitioned by session date, incremental: a run
    rewrites only the dates where a row it gives now differs from the one it holds
    (changed_since_last_run), whatever the cause: a session that staging added, moved or
    removed (a session that left a day leaves it here too), a customer version that landed
    late, a catalog title given another key. Title keys are durable (int_title_keys): a
    catalog title that gains a TMDB match or an IMDb id keeps its key, so old dates are not
    rewritten; only the rare split (a match that turns ambiguous) gives a catalog title another
    key, and then the dates holding its sessions are rewritten.
    insert_overwrite, not merge on session_id, for the same reason as its staging model: a
    session that left silver must leave gold, and each touched date is recomputed whole and
    replaced in one Delta commit. Delta checks the contract constraints on that write.
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

{#-
    The daily run (daily_since) recomputes the days where a row may differ, and compares
    those alone; every other day holds what a whole build would give. A row of a day differs
    only if: its session was written in staging since (the days staging replaced); its session
    landed a version or left staging (the held days of the keys daily_recomputed_keys gives);
    the version of its customer in force when it started may have changed
    (days_of_changed_versions); or its catalog title was issued a key since (int_title_keys:
    rare, and then every day of the title).
-#}
-- depends_on: {{ ref('stg_shop__customer_versions') }}
{%- set since = daily_since() -%}
{#- the sessions that landed a version (those let in are on the days staging rewrote) -#}
{%- set daily = daily_recomputed_keys(
    source('shop', 'viewing_sessions'), 'session_id', none, [],
) -%}
{%- if daily -%}
    {%- set rekeyed = run_query(
        "select distinct cast(substring(title_identity, 9) as bigint) from "
        ~ ref('int_title_keys') ~ " where title_identity like 'catalog:%' and issued_at >= "
        ~ "timestamp '" ~ since ~ "'"
    ).columns[0].values() | list -%}
    {%- set day_sources = [
        'select session_date from ' ~ ref('stg_shop__viewing_sessions')
            ~ ' where ' ~ built_since(since),
        'select session_date from ' ~ this ~ ' where ' ~ daily,
    ] -%}
    {%- set customer_days = days_of_changed_versions(
        ref('stg_shop__viewing_sessions'), 'customer_id', 'started_at', 'session_date',
        ref('stg_shop__customer_versions'), since,
    ) -%}
    {%- if customer_days -%}
        {%- do day_sources.append(customer_days) -%}
    {%- endif -%}
    {%- if rekeyed -%}
        {%- do day_sources.append(
            'select session_date from ' ~ ref('stg_shop__viewing_sessions')
            ~ ' where catalog_title_id in (' ~ rekeyed | join(', ') ~ ')'
        ) -%}
    {%- endif -%}
    {%- set on_days = in_values_of(
        'session_date', 'select distinct cast(session_date as string) from ('
        ~ day_sources | join(' union all ') ~ ')'
    ) -%}
{%- endif %}

with

catalog_title_keys as (
    select
        conformed.catalog_title_id,
        title_keys.title_key
    from {{ ref('int_catalog_titles_conformed') }} as conformed
    inner join {{ ref('int_title_keys') }} as title_keys
        on concat('catalog:', conformed.catalog_title_id) = title_keys.title_identity
),

sessions as (
    select * from {{ ref('stg_shop__viewing_sessions') }}
    {%- if daily %}
        where {{ on_days }}
    {%- endif %}
),

customers as (
    select * from {{ ref('dim_customer') }}
),

joined as (
    select
        sessions.session_id,
        customers.customer_key,
        catalog_title_keys.title_key,
        cast(date_format(sessions.session_date, 'yyyyMMdd') as int) as date_key,
        sessions.customer_id,
        sessions.catalog_title_id,
        sessions.device,
        sessions.minutes_watched,
        sessions.rating,
        sessions.is_completed,
        sessions.started_at,
        sessions.loaded_at,
        {{ built_at() }} as built_at,
        sessions.session_date
    from sessions
    inner join customers
        on
            sessions.customer_id = customers.customer_id
            and {{ version_valid_at('customers', 'sessions.started_at') }}
    inner join catalog_title_keys
        on sessions.catalog_title_id = catalog_title_keys.catalog_title_id
),

changed as (
    {{ changed_since_last_run(
        'joined', 'session_id', 'session_date',
        held='(select * from ' ~ this ~ ' where ' ~ on_days ~ ')' if daily else none,
    ) }}
)

select * from changed
