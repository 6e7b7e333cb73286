{#-
    Viewing sessions that break a rule, with the first rule they break. Built after
    stg_shop__viewing_sessions (depends_on), which reads the quarantine the last run left to
    find the sessions a customer or title now known lets in (daily_recomputed_keys). On the
    daily run it recomputes the same sessions (it still holds what the last run left) and
    keeps the rows of the others.
-#}
{#- the daily run: the sessions it recomputes (a session without a key belongs to no key:
    all of them, and Delta skips the files with none), and the held rows of the others -#}
{%- set daily = daily_recomputed_keys(
    source('shop', 'viewing_sessions'), 'session_id', 'quarantine_shop__viewing_sessions',
    viewing_session_lookups(),
) -%}
{%- set recomputed = 'where (' ~ daily ~ ') or session_id is null' if daily else '' -%}
{%- set held_others = (
    'union all select * from ' ~ this ~ ' where session_id is not null and not (' ~ daily ~ ')'
) if daily else '' -%}
-- depends_on: {{ ref('stg_shop__viewing_sessions') }}
with

sessions as (
    select * from {{ ref('base_shop__viewing_sessions') }} {{ recomputed }}
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
{{ held_others }}
