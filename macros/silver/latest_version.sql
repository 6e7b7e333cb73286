{#-
    Rows of an append-only bronze table reduced to the latest version of each key (highest
    updated_at; the first copy of it), with source_row_count = the distinct versions it stands
    for: the same version (key, updated_at) landed twice (a lag-window re-read) counts once
    (distinct_versions). Shop tables keep every extracted version in bronze; staging shows the
    current state.
-#}
{% macro latest_version(relation, key) %}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ key }} order by updated_at desc, _loaded_at desc
            ) as version_rank,
            count(*) over (partition by {{ key }}) as source_row_count
        from (
            {{ distinct_versions(relation, key) }}
        )
    )
    where version_rank = 1
{% endmacro %}
