{#-
    The rows of an append-only shop table in bronze, one per version (key, updated_at): its
    first copy. A re-read of the lag window lands a version again, and a copy is not a version
    (the accounting test counts such copies apart). The first copy, not the latest: the
    loaded_at (and load_date) of a version is when it first landed, so a re-read changes no row
    of silver, and an incremental run, which takes only versions first landed since its last
    run, builds what a rebuild builds (the incremental-equals-full test of test_transform).
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
