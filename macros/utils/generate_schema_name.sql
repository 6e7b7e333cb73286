{#-
    Layer schemas are named exactly bronze, silver, gold (not the dbt default
    <target schema>_<custom schema>): the lake has one catalog per environment, so the
    target already isolates environments. Nodes without a custom schema use the target schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
