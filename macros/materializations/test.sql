{#-
    The test materialization of dbt, run unless test_kept_unchanged finds that the last
    successful build checked the very rows the test would read: then the test passes without
    reading them, and a log line says why.
-#}
{% materialization test, adapter='spark' %}
    {%- if test_kept_unchanged() -%}
        {%- call statement('main', fetch_result=True) -%}
            select 0 as failures, false as should_warn, false as should_error
        {%- endcall -%}
        {{ return({'relations': []}) }}
    {%- endif -%}
    {{ return(dbt.materialization_test_default()) }}
{% endmaterialization %}
