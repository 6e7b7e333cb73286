{#-
    The latest version of each viewing session, cleaned, with the first rule it breaks
    (quarantine_reason, null when none): read by stg_shop__viewing_sessions and
    quarantine_shop__viewing_sessions, so the rules exist once (viewing_session_lines).
-#}
{{ viewing_session_lines() }}
