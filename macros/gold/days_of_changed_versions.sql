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
    staging rewrote. The earliest such date is read first and written as a literal, so the files of the
    events before it are skipped (partitions, or Delta statistics).
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
