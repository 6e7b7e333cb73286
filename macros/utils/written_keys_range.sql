{#-
    The daily run checks what it wrote (CINELAKE_DATA_TESTS_SINCE: when the last successful
    build started, read when the test runs, never when dbt parses). Gives the predicate that
    keeps the keys between the least and the greatest of the keys written since in the model
    (built_at) and, with landed_in, of those that landed in that bronze table since
    (_loaded_at): two literals, so Delta skips every file whose keys lie outside (sessions and
    payments take growing ids, and the files of a day hold a narrow range of them). A range,
    not a list: every key held inside it is read, the untouched ones too, so a row a run lost
    among those it rewrote is still looked for. False when nothing was written or landed;
    none on any build but the daily run (then every row is checked). A number or text key.
-#}
{% macro written_keys_range(key, model, landed_in=none) %}
    {%- set since = env_var('CINELAKE_DATA_TESTS_SINCE', '') if execute else '' -%}
    {%- if not since -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set selects = [
        'select ' ~ key ~ ' as k from ' ~ model ~ ' where ' ~ built_since(since)
    ] -%}
    {%- if landed_in -%}
        {%- do selects.append(
            'select ' ~ key ~ ' from ' ~ landed_in ~ " where _loaded_at >= timestamp '"
            ~ since ~ "'"
        ) -%}
    {%- endif -%}
    {%- set bounds = run_query(
        'select min(k), max(k) from (' ~ selects | join(' union all ') ~ ')'
    ).rows[0] -%}
    {%- set literals = [] -%}
    {%- for bound in bounds -%}
        {%- do literals.append(sql_key_literal(bound)) -%}
    {%- endfor -%}
    {{ return('false' if bounds[0] is none else key ~ ' between ' ~ literals | join(' and ')) }}
{% endmacro %}
