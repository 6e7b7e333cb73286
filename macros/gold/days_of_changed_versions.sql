{#-
    The daily run of a fact partitioned by event date (daily_since): the select of the dates
    of the events whose SCD2 version in force may have changed since, or none when no valid
    version landed since. versions: a history of valid versions (valid_from, loaded_at) of
    the key the events carry (stg_shop__customer_versions, stg_shop__subscription_versions).
    For each key with a version that landed since, the version in force changes from the
    first landed valid_from on, or for all time when a landed version is now the first of a
    key that had others (the first version covers the time before it); a key whose versions
    all landed since is new, and its events were let in from quarantine, on the days staging
    rewrote. The earliest such date is read first and written as a literal, so the files of the
    events before it are skipped (partitions, or Delta statistics).
-#}
{% macro days_of_changed_versions(events, key, event_at, event_date, versions, since) %}
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
                loaded_at >= timestamp '{{ since }}' as landed,
                row_number() over (partition by {{ key }} order by valid_from) as version_number
            from {{ versions }}
        ) as versions
        group by {{ key }}
        having max(landed)
    {%- endset -%}
    {%- set earliest = run_query(
        'select cast(to_date(min(changed_from)) as string) from (' ~ bounds ~ ')'
    ).rows[0][0] -%}
    {{ return(none if not earliest else (
        'select events.' ~ event_date ~ ' from ' ~ events ~ ' as events inner join ('
        ~ bounds ~ ') as bounds on events.' ~ key ~ ' = bounds.' ~ key
        ~ ' and events.' ~ event_at ~ ' >= bounds.changed_from where events.' ~ event_date
        ~ " >= date '" ~ earliest ~ "'"
    )) }}
{% endmacro %}
