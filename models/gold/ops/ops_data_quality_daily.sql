{#-
    Data health per load day, source and table: rows read and landed (the ingestion run log),
    lines rejected at ingestion by reason (csv/rejects) and rows quarantined by silver by
    reason (every quarantine_* model). One row per (load day, source, table, outcome,
    reason); read and landed carry no reason. Quarantined rows count on the load day of the
    bronze row they stand for (its latest copy).
    The quarantine models are listed once, below: the import CTEs and the union are generated
    from the list (ref needs the names when dbt parses, when the graph is not known yet), and
    tests/unit/test_quarantine_contract.py fails when a quarantine model of the project is
    missing from it.
-#}
{%- set quarantine_models = [
    'quarantine_csv__movies',
    'quarantine_csv__series',
    'quarantine_tmdb__discover_movies',
    'quarantine_tmdb__genres',
    'quarantine_shop__plans',
    'quarantine_shop__customers',
    'quarantine_shop__subscriptions',
    'quarantine_shop__catalog_titles',
    'quarantine_shop__payments',
    'quarantine_shop__viewing_sessions',
] -%}

with

runs as (
    select * from {{ ref('stg_ops__ingestion_runs') }}
),

rejects as (
    select * from {{ ref('stg_csv__rejects') }}
),

{% for quarantine in quarantine_models %}
    {{ quarantine }} as (
        select * from {{ ref(quarantine) }}
    ),

{% endfor %}
-- a skipped run (CSV content already loaded) read nothing new
loaded_runs as (
    select * from runs
    where run_status != 'skipped'
),

read_rows as (
    select
        load_date,
        source_name,
        source_table,
        'read' as outcome,
        cast(null as string) as reason_code,
        sum(rows_in) as row_total
    from loaded_runs
    group by load_date, source_name, source_table
),

landed_rows as (
    select
        load_date,
        source_name,
        source_table,
        'landed' as outcome,
        cast(null as string) as reason_code,
        sum(rows_landed) as row_total
    from loaded_runs
    group by load_date, source_name, source_table
),

rejected_rows as (
    select
        load_date,
        'csv' as source_name,
        source_table,
        'rejected' as outcome,
        reject_reason as reason_code,
        sum(source_row_count) as row_total
    from rejects
    group by load_date, source_table, reject_reason
),

quarantine_unioned as (
    {% for quarantine in quarantine_models %}
        {#- quarantine_<source>__<table>: the source and table it names -#}
        {%- set source_name, source_table = quarantine.replace('quarantine_', '', 1).split('__') %}
        select
            load_date,
            '{{ source_name }}' as source_name,
            '{{ source_table }}' as source_table,
            quarantine_reason,
            source_row_count
        from {{ quarantine }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

quarantined_rows as (
    select
        load_date,
        source_name,
        source_table,
        'quarantined' as outcome,
        quarantine_reason as reason_code,
        sum(source_row_count) as row_total
    from quarantine_unioned
    group by load_date, source_name, source_table, quarantine_reason
),

unioned as (
    select * from read_rows
    union all
    select * from landed_rows
    union all
    select * from rejected_rows
    union all
    select * from quarantined_rows
),

final as (
    select
        {{ surrogate_key(['load_date', 'source_name', 'source_table', 'outcome', 'reason_code']) }}
            as quality_key,
        source_name,
        source_table,
        outcome,
        reason_code,
        cast(row_total as bigint) as row_total,
        load_date
    from unioned
)

select * from final
