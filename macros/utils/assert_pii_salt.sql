{#-
    On-run-start guard: fails the run with one clear message, before anything is built, when
    the Spark Thrift server cannot read the PII salt from its environment (pii_salt_sql).
    Skipped at parse time and when a unit-test literal is given (pii_salt_literal).
-#}
{% macro assert_pii_salt() %}
    {%- if not execute or var('pii_salt_literal', none) is not none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set answer = run_query(
        'select ' ~ pii_salt_sql(guarded=false) ~ ' is not null as has_pii_salt'
    ) -%}
    {%- if not answer.columns[0].values()[0] -%}
        {%- set name = var('pii_salt_env', 'CINELAKE_PII_SALT') -%}
        {{ exceptions.raise_compiler_error(
            'The PII salt is missing: the Spark Thrift server has no ' ~ name ~ ' in its'
            ~ ' environment, and the customer e-mails cannot be hashed without it. Start the'
            ~ ' server with `cinelake up` (it passes CINELAKE_PII_SALT or the salt kept in'
            ~ ' $CINELAKE_HOME/secrets/pii_salt); docker compose: set CINELAKE_PII_SALT in .env;'
            ~ ' target session: export CINELAKE_PII_SALT before dbt.') }}
    {%- endif -%}
{% endmacro %}
