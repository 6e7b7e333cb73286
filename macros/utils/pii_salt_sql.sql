{#-
    The SQL expression of the PII salt. The salt is never rendered into SQL text (which dbt
    writes to target/compiled, target/run, manifest.json, run_results.json and its log, and
    the Thrift server to its log and UI): the expression reads the environment variable
    CINELAKE_PII_SALT (var pii_salt_env) of the Spark JVM evaluating it at run time: the Thrift
    server, or an executor, which inherits the environment of its worker. java_method returns the
    text 'null' for a variable that is not set: guarded, the query then fails with a clear
    message instead of hashing without a salt (assert_pii_salt checks the server before a run).
    Unit tests pass a non-secret literal instead: vars: {pii_salt_literal: test-salt}.
-#}
{% macro pii_salt_sql(guarded=true) %}
    {%- set literal = var('pii_salt_literal', none) -%}
    {%- set name = var('pii_salt_env', 'CINELAKE_PII_SALT') -%}
    {%- set salt = "nullif(java_method('java.lang.System', 'getenv', '" ~ name ~ "'), 'null')" -%}
    {%- if literal is not none -%}
        '{{ literal }}'
    {%- elif not guarded -%}
        {{ salt }}
    {%- else -%}
        coalesce({{ salt }}, raise_error(
            'The PII salt is missing: this Spark JVM has no {{ name }} in its environment'
            || ' (executors inherit it from their worker: give the workers the salt too).'
        ))
    {%- endif -%}
{% endmacro %}
