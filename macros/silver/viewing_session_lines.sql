{#-
    The select of base_shop__viewing_sessions, read by stg_shop__viewing_sessions and its
    quarantine: the latest version of each session, cleaned, and the first rule it breaks
    (null when none). The referential rules (a known customer, a known catalog title) look
    the keys up in the staging models: a session is judged against the customers and titles
    that have a valid version, the ones gold can join it to.
-#}
{% macro viewing_session_lines() %}
{%- set lookups = viewing_session_lookups() -%}
with

sessions as (
    {{ latest_version(source('shop', 'viewing_sessions'), 'session_id') }}
),

known_customers as (
    select distinct customer_id from {{ ref(lookups[0]['to']) }}
),

known_titles as (
    select distinct catalog_title_id from {{ ref(lookups[1]['to']) }}
),

cleaned as (
    select
        sessions.session_id,
        sessions.customer_id,
        sessions.catalog_title_id,
        lower(trim(sessions.device)) as device,
        sessions.minutes_watched,
        cast(sessions.rating as int) as rating,
        sessions.source_row_count,
        sessions.completed = 1 as is_completed,
        known_customers.customer_id is not null as has_known_customer,
        known_titles.catalog_title_id is not null as has_known_title,
        sessions.started_at,
        sessions.updated_at,
        sessions._loaded_at as loaded_at,
        {{ bronze_load_date('sessions') }} as load_date,
        to_date(sessions.started_at) as session_date
    from sessions
    left join known_customers
        on sessions.customer_id = known_customers.customer_id
    left join known_titles
        on sessions.catalog_title_id = known_titles.catalog_title_id
),

validated as (
    select
        *,
        case
            when session_id is null then 'missing_session_id'
            when started_at is null then 'missing_started_at'
            when minutes_watched is null then 'missing_minutes_watched'
            when is_completed is null then 'missing_completed'
            when minutes_watched < 0 then 'negative_minutes'
            when rating not between 1 and 5 then 'rating_out_of_range'
            when not has_known_customer then 'unknown_customer'
            when not has_known_title then 'unknown_title'
        end as quarantine_reason
    from cleaned
)

select * from validated
{% endmacro %}
