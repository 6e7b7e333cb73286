{#-
    The current state of each key of a shop table: its latest version that breaks no rule
    (a quarantined version is not a version: until the source fixes it, consumers see the
    last valid one). source_row_count = its valid versions (distinct (key, updated_at)).
    relation: the versions to read, the base model of the table (base_shop__<table>) or the
    name of a CTE of the caller over it (an incremental model passes its filtered versions).
-#}
{% macro latest_valid_version(relation, key) %}
    select * from (
        select
            *,
            row_number() over (partition by {{ key }} order by updated_at desc) as version_rank,
            count(*) over (partition by {{ key }}) as source_row_count
        from {{ relation }}
        where quarantine_reason is null
    )
    where version_rank = 1
{% endmacro %}
