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
    {#- Spark answers a set statement with this for a value matching spark.redaction.regex
        ((?i)secret|password|token|access[.]?key) or spark.sql.redaction.options.regex
        ((?i)url), such as a lake under .../secrets/; cinelake up also gives the path in hex
        (spark.cinelake.lake_root_hex), which no such pattern matches, for Spark to decode. -#}
    {%- if '(redacted)' in value -%}
        {%- set hex = run_query('set spark.cinelake.lake_root_hex').columns[1].values()[0] -%}
        {%- if not hex or hex == '<undefined>' -%}
            {{ exceptions.raise_compiler_error(
                'Spark redacts spark.cinelake.lake_root: its path contains one of secret,'
                ~ " password, token, access key or url. Pass the lake as --vars"
                ~ " '{lake_root: <lake>}', or set spark.cinelake.lake_root_hex (as cinelake up"
                ~ ' does), or move it (CINELAKE_LAKE_URL) to a path without these words.') }}
        {%- endif -%}
        {%- set value = run_query(
            "select decode(unhex('" ~ hex ~ "'), 'UTF-8')").columns[0].values()[0] -%}
    {%- endif -%}
    {%- if '://' not in value and not value.startswith('/') -%}
        {{ exceptions.raise_compiler_error('The lake root must be absolute, got ' ~ value) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
