{#-
    One row per valid viewing session, keyed to the customer version valid when it started,
    the conformed title and the date. Partitioned by session date, incremental: a run
    rewrites the session dates that received sessions since the last run, and the dates whose
    sessions have a catalog title now conforming to another title_key. Title matching moves with the
    data (a TMDB movie arrives and a catalog title that stood alone now matches it): dim_title
    is rebuilt with the new key, so the old partitions must follow or they point at nothing.
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

with

sessions as (
    select * from {{ ref('stg_shop__viewing_sessions') }}
    {% if is_incremental() -%}
        where session_date in (
            select new_sessions.session_date
            from {{ ref('stg_shop__viewing_sessions') }} as new_sessions
            where
                new_sessions.loaded_at > (
                    select coalesce(max(built.loaded_at), timestamp '1900-01-01')
                    from {{ this }} as built
                )
            union
            select built.session_date
            from {{ this }} as built
            inner join {{ ref('int_catalog_titles_conformed') }} as conformed
                on built.catalog_title_id = conformed.catalog_title_id
            where built.title_key != conformed.title_key
        )
    {%- endif %}
),

customers as (
    select * from {{ ref('dim_customer') }}
),

catalog_titles as (
    select * from {{ ref('int_catalog_titles_conformed') }}
),

joined as (
    select
        sessions.session_id,
        customers.customer_key,
        catalog_titles.title_key,
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
    inner join catalog_titles
        on sessions.catalog_title_id = catalog_titles.catalog_title_id
)

select * from joined
