{#-
    The table materialization of dbt-spark, run unless kept_unchanged keeps the model as it
    stands on the daily run: then no statement runs but the reads of the Delta history of its
    inputs, and a log line says why.
-#}
{% materialization table, adapter='spark', supported_languages=['sql', 'python'] %}
    {%- if kept_unchanged() -%}
        {{ return(kept_as_it_stands()) }}
    {%- endif -%}
    {{ return(dbt.materialization_table_spark()) }}
{% endmaterialization %}
