{#-
    The table materialization of dbt-spark, run unless kept_unchanged keeps the model as it
    stands on the daily run: then no statement runs but the reads of the Delta history of its
    inputs, and a log line says why.
-#}
{% materialization table, adapter='spark', supported_languages=['sql', 'python'] %}
    {%- if kept_unchanged() -%}
        {%- call noop_statement('main', 'KEPT') -%}
            -- kept: {{ model.name }} gives the rows it holds
        {%- endcall -%}
        {{ return({'relations': [this]}) }}
    {%- endif -%}
    {{ return(dbt.materialization_table_spark()) }}
{% endmaterialization %}
