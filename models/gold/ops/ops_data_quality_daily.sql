{#-
    Data health per load day, source and table: rows read and landed (the ingestion run log),
    lines rejected at ingestion by reason (csv/rejects) and rows quarantined by silver by
    reason (every quarantine_* model). One row per (load day, source, table, outcome,
    reason); read and landed carry no reason. Quarantined rows count on the load day of the
    bronze row they stand for (its latest copy).
-#}
with

runs as (
    select * from {{ ref('stg_ops__ingestion_runs') }}
),

rejects as (
    select * from {{ ref('stg_csv__rejects') }}
),

quarantine_csv__movies as (
    select * from {{ ref('quarantine_csv__movies') }}
),

quarantine_csv__series as (
    select * from {{ ref('quarantine_csv__series') }}
),

quarantine_tmdb__discover_movies as (
    select * from {{ ref('quarantine_tmdb__discover_movies') }}
),

quarantine_tmdb__genres as (
    select * from {{ ref('quarantine_tmdb__genres') }}
),

quarantine_shop__plans as (
    select * from {{ ref('quarantine_shop__plans') }}
),

quarantine_shop__customers as (
    select * from {{ ref('quarantine_shop__customers') }}
),

quarantine_shop__subscriptions as (
    select * from {{ ref('quarantine_shop__subscriptions') }}
),

quarantine_shop__catalog_titles as (
    select * from {{ ref('quarantine_shop__catalog_titles') }}
),

quarantine_shop__payments as (
    select * from {{ ref('quarantine_shop__payments') }}
),

quarantine_shop__viewing_sessions as (
    select * from {{ ref('quarantine_shop__viewing_sessions') }}
),

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
    select
        load_date,
        'csv' as source_name,
        'movies' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_csv__movies
    union all
    select
        load_date,
        'csv' as source_name,
        'series' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_csv__series
    union all
    select
        load_date,
        'tmdb' as source_name,
        'discover_movies' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_tmdb__discover_movies
    union all
    select
        load_date,
        'tmdb' as source_name,
        'genres' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_tmdb__genres
    union all
    select
        load_date,
        'shop' as source_name,
        'plans' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_shop__plans
    union all
    select
        load_date,
        'shop' as source_name,
        'customers' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_shop__customers
    union all
    select
        load_date,
        'shop' as source_name,
        'subscriptions' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_shop__subscriptions
    union all
    select
        load_date,
        'shop' as source_name,
        'catalog_titles' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_shop__catalog_titles
    union all
    select
        load_date,
        'shop' as source_name,
        'payments' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_shop__payments
    union all
    select
        load_date,
        'shop' as source_name,
        'viewing_sessions' as source_table,
        quarantine_reason,
        source_row_count
    from quarantine_shop__viewing_sessions
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
