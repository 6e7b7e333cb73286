{#-
    One row per valid viewing session, keyed to the customer version valid when it started,
    the durable key of the title and the date. Partitioned by session date, incremental: a run
    rewrites the dates of the staging rows written since, and the dates its staging model
    rewrote since (session_dates_to_rewrite: the days of the sessions that landed a version,
    before and after it, so a session that left a day leaves it here too). Title keys are
    durable (int_title_keys): a catalog title that gains a TMDB match or an IMDb id keeps its
    key, so old dates are not rewritten; only the rare split (a match that turns ambiguous)
    gives a catalog title another key, and then the dates holding its sessions are rewritten
    too, or they would point at a key dim_title no longer has.
    insert_overwrite, not merge on session_id, for the same reason as its staging model:
    each touched date is recomputed whole, so replacing it (one Delta commit) is exact and
    needs no join with the table. Delta checks the contract constraints on that write.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        partition_by=['session_date'],
        on_schema_change='fail',
    )
}}

{#- the watermark, a literal (last_loaded_at), read once when dbt compiles the model -#}
{%- set since_last_run = last_loaded_at() if is_incremental() else none -%}

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
    {% if is_incremental() -%}
        where session_date in (
            -- the dates of the staging rows written since this model's last run (a literal
            -- watermark: Delta skips the files with nothing newer)
            select new_sessions.session_date
            from {{ ref('stg_shop__viewing_sessions') }} as new_sessions
            where new_sessions.loaded_at > {{ since_last_run }}
            union
            -- and the dates its staging model rewrote since, where a session may have left
            -- (the same macro, this model's watermark: never later than staging's)
            {{ session_dates_to_rewrite(since_last_run) }}
            union
            select built.session_date
            from {{ this }} as built
            inner join catalog_title_keys as rekeyed
                on built.catalog_title_id = rekeyed.catalog_title_id
            where built.title_key != rekeyed.title_key
        )
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
        sessions.session_date
    from sessions
    inner join customers
        on
            sessions.customer_id = customers.customer_id
            and {{ customer_version_valid_at('customers', 'sessions.started_at') }}
    inner join catalog_title_keys
        on sessions.catalog_title_id = catalog_title_keys.catalog_title_id
)

select * from joined
