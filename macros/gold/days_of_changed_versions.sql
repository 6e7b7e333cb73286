{#-
    The daily run of a fact partitioned by event date (daily_since): the select of the dates
    of the events whose SCD2 version in force may have changed since, or none when no version
    became valid since. versions: a history of valid versions (valid_from, and landed_at: when
    the version became valid, its landing, or later for a version that waited in quarantine
    for a lookup) of the key the events carry (stg_shop__customer_versions: loaded_at, as a
    customer has no lookup; stg_shop__subscription_versions: valid_since). A valid version
    stays valid, so the versions added since are those whose landed_at is.
    For each key with a version added since, the version in force changes from the
    first added valid_from on, or for all time when an added version is now the first of a
    key that had others (the first version covers the time before it); a key whose versions
    were all added since is new, and its events were let in from quarantine, on the days
    staging rewrote. The keys and their dates are read once, and written as literals (a
    VALUES list, so the fact does not read the versions again), with the earliest date, so
    the files of the events before it are skipped (partitions, or Delta statistics). More
    keys than daily_recomputed_keys_max (a backfill): the query itself, not a list.
-#}
{% macro days_of_changed_versions(
    events, key, event_at, event_date, versions, since, landed_at='loaded_at'
) %}
    {%- set bounds -%}
        select
            {{ key }},
            if(
                max(landed and version_number = 1) and not min(landed),
                timestamp '0001-01-01 00:00:00',
                min(if(landed, valid_from, null))
            ) as changed_from
        from (
            select
                {{ key }},
                valid_from,
                {{ landed_at }} >= timestamp '{{ since }}' as landed,
                row_number() over (partition by {{ key }} order by valid_from) as version_number
            from {{ versions }}
        ) as versions
        group by {{ key }}
        having max(landed)
    {%- endset -%}
    {%- set found = run_query(
        'select ' ~ key ~ ', cast(changed_from as string) from (' ~ bounds ~ ')'
    ).rows -%}
    {%- if not found -%}
        {{ return(none) }}
    {%- endif -%}
    {#- timestamps as text (yyyy-MM-dd HH:mm:ss) sort as they are -#}
    {%- set earliest = (found | map(attribute=1) | min)[:10] -%}
    {%- if found | length > var('daily_recomputed_keys_max') -%}
        {%- set changed = '(' ~ bounds ~ ')' -%}
    {%- else -%}
        {%- set literals = [] -%}
        {%- for row in found -%}
            {%- do literals.append(
                '(' ~ sql_key_literal(row[0])
                ~ ", timestamp '" ~ row[1] ~ "')"
            ) -%}
        {%- endfor -%}
        {%- set changed = '(values ' ~ literals | join(', ') ~ ')' -%}
    {%- endif -%}
    {{ return(
        'select events.' ~ event_date ~ ' from ' ~ events ~ ' as events inner join '
        ~ changed ~ ' as bounds(' ~ key ~ ', changed_from) on events.' ~ key ~ ' = bounds.'
        ~ key ~ ' and events.' ~ event_at ~ ' >= bounds.changed_from where events.'
        ~ event_date ~ " >= date '" ~ earliest ~ "'"
    ) }}
{% endmacro %}
