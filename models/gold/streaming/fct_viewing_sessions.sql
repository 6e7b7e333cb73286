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
            and {{ customer_version_valid_at('customers', 'sessions.started_at') }}
    inner join catalog_title_keys
        on sessions.catalog_title_id = catalog_title_keys.catalog_title_id
),

changed as (
    {{ changed_since_last_run('joined', 'session_id', 'session_date') }}
)

select * from changed
