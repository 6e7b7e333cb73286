{#-
    The watermark of an incremental run: the latest loaded_at the model holds (this), as a
    timestamp literal, read once when dbt compiles the model. The one way the models write it
    (silver staging and gold facts alike). A literal, not a scalar subquery in the filter: where
    the filter reaches a Delta table scan directly, Delta skips every file whose statistics say
    it holds nothing newer (measured on the daily run at SF 1: fct_payments and
    fct_viewing_sessions read about a third less); a filter above a window, as on the base views
    of bronze, skips nothing either way. An empty table (built before any ingestion) gives
    1900-01-01: everything is newer. The compiled SQL shows the value.
-#}
{% macro last_loaded_at(relation=this) -%}
    {%- set value = none -%}
    {%- if execute -%}
        {%- set result = run_query(
            'select cast(max(loaded_at) as string) from ' ~ relation
        ) -%}
        {%- set value = result.columns[0].values()[0] if result.rows | length else none -%}
    {%- endif -%}
    timestamp '{{ value or "1900-01-01 00:00:00" }}'
{%- endmacro %}
