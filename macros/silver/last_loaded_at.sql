{#-
    The latest loaded_at an incremental model holds (this), as a timestamp literal: the
    watermark of its incremental run, read once when dbt compiles the model. A constant, not
    a scalar subquery in the filter: Delta skips every file whose statistics say it holds
    nothing newer (its max loaded_at), and partition filters on the bronze load date prune,
    which a subquery leaves to the executors (every file read, every run). An empty table
    (built before any ingestion) gives 1900-01-01: everything is newer. Compiled SQL shows the
    value, so a run can be replayed against the same watermark.
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
