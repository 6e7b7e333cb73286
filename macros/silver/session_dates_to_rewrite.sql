{#-
    The session dates an incremental run of a session-date partitioned model must recompute
    (stg_shop__viewing_sessions, fct_viewing_sessions: each replaces exactly these dates):
    every date that a session held in any of its versions, for each session that landed a
    version first seen in bronze after the watermark. Not only the dates of the new
    versions: a version that moves started_at to another day, or that breaks a rule, must
    also leave the day where the session stood, or that day would keep it (a session twice
    in silver, or a quarantined session still counted in gold). A copy of a version landed
    before (a lag-window re-read) is not new: it touches nothing. One scan of the bronze
    history (the older dates of a session are in no newer file); the dates of all older
    versions are a superset of where the session stands, which costs a date recomputed
    whole, never a wrong row.
-#}
{% macro session_dates_to_rewrite(watermark) %}
    select distinct session_date
    from (
        select
            to_date(started_at) as session_date,
            max(first_landed_at) over (partition by session_id) as newest_version_landed_at
        from (
            select
                session_id,
                started_at,
                min(_loaded_at) as first_landed_at
            from {{ source('shop', 'viewing_sessions') }}
            group by session_id, updated_at, started_at
        )
    )
    where newest_version_landed_at > {{ watermark }}
{% endmacro %}
