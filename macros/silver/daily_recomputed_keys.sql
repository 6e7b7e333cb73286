{#-
    The keys a staging model recomputes on the daily run (daily_since), or none, and then it
    recomputes every key. A key gives a new row only if a version of it landed in bronze
    since the last successful build (its _loaded_at: the start of the ingestion that landed
    it, later than since, as cinelake build takes the ingestion lock before it stamps its
    start), or if a version of it waits in quarantine for a key that is now known (lookups:
    the quarantine column, the staging model it must be found in, the reason it waits under).
    Nothing else changes a key: its versions are in bronze, append-only, and a looked-up key
    never leaves its staging model, so a valid version stays valid. The quarantine is read
    as the last run left it: its model runs after the staging model (a depends_on there), so
    the versions this run lets in are still in it (no lookups: no quarantine is read, and
    the keys are those that landed). Gives the predicate that keeps those keys,
    found by one query and written as literals (false: no key): their range, on which Delta
    skips the files of bronze and of the model whose keys lie outside (sessions and payments
    take growing ids, and a day touches the newest), and their list, so that no statement
    reads the quarantine and the looked-up models again. More keys than the variable
    daily_recomputed_keys_max (a backfill): none, every key is recomputed. The lookups are
    referenced whatever the build, so that dbt knows them when it parses.
-#}
{% macro daily_recomputed_keys(source_relation, key, quarantine, lookups) %}
    {%- set known = {} -%}
    {%- for lookup in lookups -%}
        {%- do known.update({lookup['column']: ref(lookup['to'])}) -%}
    {%- endfor -%}
    {%- set since = daily_since() -%}
    {%- if not since -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set held_quarantine = adapter.get_relation(
        database=this.database, schema=this.schema, identifier=quarantine
    ) if lookups else none -%}
    {#- no quarantine built yet: nothing to go by, every key is recomputed -#}
    {%- if lookups and not held_quarantine -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set selects = [
        'select ' ~ key ~ ' from ' ~ source_relation ~ " where _loaded_at >= timestamp '"
        ~ since ~ "' and " ~ key ~ ' is not null'
    ] -%}
    {%- for lookup in lookups -%}
        {%- do selects.append(
            'select waiting.' ~ key ~ ' from ' ~ held_quarantine ~ ' as waiting'
            ~ ' where waiting.quarantine_reason = ' ~ sql_string_literal(lookup['reason'])
            ~ ' and waiting.' ~ lookup['column'] ~ ' in (select ' ~ lookup['column']
            ~ ' from ' ~ known[lookup['column']] ~ ')'
        ) -%}
    {%- endfor -%}
    {%- set found = run_query(selects | join('\nunion\n')).columns[0].values() | list -%}
    {#- a day that touched more keys than a statement should list: every key, as a whole build -#}
    {%- if found | length > var('daily_recomputed_keys_max') -%}
        {%- do log(this ~ ': ' ~ found | length ~ ' keys touched since ' ~ since
            ~ ', more than daily_recomputed_keys_max: every key is recomputed', info=true) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for value in found | sort -%}
        {%- do literals.append(sql_key_literal(value)) -%}
    {%- endfor -%}
    {#- the range too: Delta skips files on it, and the list may be long -#}
    {{ return('false' if not literals else (
        key ~ ' between ' ~ literals[0] ~ ' and ' ~ literals[-1]
        ~ ' and ' ~ key ~ ' in (' ~ literals | join(', ') ~ ')'
    )) }}
{% endmacro %}
