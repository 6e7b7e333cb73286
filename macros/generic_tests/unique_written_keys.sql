{#-
    unique, for a big incremental model stamped with built_at. Every build but the daily run
    checks every row. The daily run (CINELAKE_DATA_TESTS_SINCE: when the last successful build
    started) checks the keys in the range of those written since, with every row holding one.
    Exact by induction: a key held twice where neither row was written since was held twice
    when the last successful build checked it; a duplicate with a row written since has its
    key in the range, and both its rows are read. The range is two literals, found first by a
    query on the rows written since (from the second after since: Delta keeps the max
    statistic of a timestamp to the millisecond and adds 1 ms when it skips files; built_at
    stamps are whole seconds), so Delta skips every file whose keys lie outside it: sessions
    and payments take growing ids, and the files of a day hold a narrow range of them. The
    variable is read when the test runs, never when dbt parses (as built_at does): a new
    value re-parses nothing. A number or text key (as spark__get_merge_sql).
-#}
{% test unique_written_keys(model, column_name) %}
    {%- set in_range = 'true' -%}
{%- if execute and env_var('CINELAKE_DATA_TESTS_SINCE', '') -%}
    {%- set written = run_query(
        'select min(' ~ column_name ~ '), max(' ~ column_name ~ ') from ' ~ model
        ~ " where built_at >= timestamp '" ~ env_var('CINELAKE_DATA_TESTS_SINCE')
        ~ "' + interval 1 second"
    ).rows[0] -%}
    {#- nothing written since: nothing new to check -#}
    {%- set literals = [] -%}
    {%- for bound in written -%}
        {%- do literals.append(sql_string_literal(bound) if bound is string else bound) -%}
    {%- endfor -%}
    {%- set in_range = 'false' if written[0] is none else (
        column_name ~ ' between ' ~ literals | join(' and ')
    ) -%}
{%- endif %}

select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null and {{ in_range }}
group by {{ column_name }}
having count(*) > 1

{% endtest %}
