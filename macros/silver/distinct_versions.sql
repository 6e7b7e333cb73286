{#-
    The rows of an append-only shop table in bronze, one per version (key, updated_at): its
    latest copy. A re-read of the lag window lands a version again, and a copy is not a version
    (the accounting test counts such copies apart). copy_rank is always 1 in the result.
-#}
{% macro distinct_versions(relation, key) %}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ key }}, updated_at order by _loaded_at desc
            ) as copy_rank
        from {{ relation }}
    )
    where copy_rank = 1
{% endmacro %}
