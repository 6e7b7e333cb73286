{#-
    When the daily run of an incremental model (or of a quarantine table) recomputes only the
    keys or days the day touched: the start of the last successful build
    (CINELAKE_DAILY_SINCE, which cinelake build --daily sets from its kept state). None,
    and then the model compares every row it would give (changed_since_last_run), on any
    other build (a whole build, a plain dbt command, a first build, a --full-refresh) and for
    a model whose code or upstream code changed since the kept build
    (CINELAKE_DAILY_CHANGED_MODELS: the names of state:modified+, listed by cinelake build),
    whose every row may now differ. A whole build, recommended weekly, so compares every row
    again. Read when the model runs, never when dbt parses: a new value re-parses nothing.
-#}
{% macro daily_since() -%}
    {#- what the model holds, to start from: an incremental model that is not rebuilt, or a
        table (a quarantine) that exists and is not rebuilt with --full-refresh -#}
    {%- set holds = is_incremental() or (
        execute and config.get('materialized') == 'table' and not should_full_refresh()
        and load_relation(this) is not none
    ) -%}
    {%- if execute and holds and env_var('CINELAKE_DAILY_SINCE', '')
        and model.name not in env_var('CINELAKE_DAILY_CHANGED_MODELS', '').split() -%}
        {{ return(env_var('CINELAKE_DAILY_SINCE')) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
