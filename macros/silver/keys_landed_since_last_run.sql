{#-
    The filter of an incremental staging model that keeps the current state of each key
    (merge on it): on an incremental run, only the keys that landed a version in bronze since
    the last run (the latest loaded_at the model holds); each of them is then recomputed from
    all its versions, so its latest valid version and source_row_count stay exact. The
    watermark is a literal (last_loaded_at), read once when dbt compiles the model. A first
    build, a --full-refresh, or a table built before it had loaded_at (a warehouse from an
    older release: on_schema_change adds the column) takes every key.
-#}
{% macro keys_landed_since_last_run(base_model, key) -%}
    {%- set columns = adapter.get_columns_in_relation(this) if is_incremental() else [] -%}
    {%- if 'loaded_at' in columns | map(attribute='name') | list -%}
        {{ key }} in (
            select landed.{{ key }}
            from {{ base_model }} as landed
            where landed._loaded_at > {{ last_loaded_at() }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
