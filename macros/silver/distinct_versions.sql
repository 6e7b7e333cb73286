{#-
    The rows of an append-only shop table in bronze, one per version (key, updated_at): its
    first copy. A re-read of the lag window lands a version again, and a copy is not a version
    (the accounting test counts such copies apart). The first copy, not the latest: a version's
    loaded_at (and load_date) is when it first landed, so a re-read changes no row of silver,
    and an incremental run, which takes only versions first landed since its last run, builds
    what a rebuild builds (test_transform's incremental-equals-full test).
    copy_rank is always 1 in the result.
-#}
{% macro distinct_versions(relation, key) %}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ key }}, updated_at order by _loaded_at asc
            ) as copy_rank
        from {{ relation }}
    )
    where copy_rank = 1
{% endmacro %}
