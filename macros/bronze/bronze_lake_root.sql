{#-
    The lake root: the lake_root var if given, else the Spark conf spark.cinelake.lake_root
    that cinelake up sets on the Thrift server (so dbt needs no environment of its own).
    A Thrift server of your own: pass --vars '{lake_root: "s3a://bucket/prefix"}' or set the conf.
-#}
{% macro bronze_lake_root() %}
    {%- set configured = var('lake_root', none) -%}
    {%- if configured -%}
        {{ return(configured.rstrip('/')) }}
    {%- endif -%}
    {%- set answer = run_query('set spark.cinelake.lake_root') -%}
    {%- set value = answer.columns[1].values()[0] if answer | length > 0 else '' -%}
    {%- if not value or value == '<undefined>' -%}
        {{ exceptions.raise_compiler_error(
            'The lake root is unknown: the Thrift server has no spark.cinelake.lake_root (start it'
            ~ ' with `cinelake up`) and no lake_root var was given.') }}
    {%- endif -%}
    {%- if '://' not in value and not value.startswith('/') -%}
        {{ exceptions.raise_compiler_error('The lake root must be absolute, got ' ~ value) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
