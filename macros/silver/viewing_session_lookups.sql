{#-
    The keys a viewing session looks up, as (the session column, the staging model it must be
    found in, the reason a session waits under while it is not): read by viewing_session_lines
    and by the daily run of stg_shop__viewing_sessions and its quarantine
    (daily_recomputed_keys). A file of its own: sqlfluff takes the return of a macro called
    from its own file for the whole file.
-#}
{% macro viewing_session_lookups() %}
    {{ return([
        {'column': 'customer_id', 'to': 'stg_shop__customers', 'reason': 'unknown_customer'},
        {'column': 'catalog_title_id', 'to': 'stg_shop__catalog_titles',
         'reason': 'unknown_title'},
    ]) }}
{% endmacro %}
