{#-
    The stamp a build puts on the rows it writes: when that build started. cinelake build
    sets CINELAKE_BUILD_STARTED_AT to the time it keeps with the state of a successful build
    (cinelake/build.py), so the next daily run can tell the rows written since (built_at
    later than that time: the rows of this run and of any failed run after the kept build)
    from the rows the kept build wrote and tested. A plain dbt command stamps its own
    run_started_at. Read when the model runs (execute), never when dbt parses: a new value
    re-parses nothing (and sqlfluff, which has no env_var, lints the same shape).
-#}
{% macro built_at() -%}
    {%- if execute -%}
        timestamp '{{ env_var(
            "CINELAKE_BUILD_STARTED_AT", run_started_at.strftime("%Y-%m-%d %H:%M:%S")
        ) }}'
    {%- else -%}
        current_timestamp()
    {%- endif -%}
{%- endmacro %}
