{#- Viewing sessions that break a rule, with the first rule they break. -#}
with

sessions as (
    select * from {{ ref('base_shop__viewing_sessions') }}
),

quarantined as (
    select
        session_id,
        customer_id,
        catalog_title_id,
        quarantine_reason,
        minutes_watched,
        rating,
        source_row_count,
        load_date,
        started_at,
        loaded_at
    from sessions
    where quarantine_reason is not null
)

select * from quarantined
