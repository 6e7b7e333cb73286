{#-
    A filter keeping the rows of the latest loaded version (content SHA-256) of each CSV file:
    a file loaded again with changes supersedes its earlier version in silver.
-#}
{% macro latest_csv_file_version(relation) -%}
    _source_sha256 in (
        select max_by(_source_sha256, _loaded_at)
        from {{ relation }}
        group by _source_file
    )
{%- endmacro %}
