{#-
    One row per dbt build: how it went (nodes by status, seconds by layer, Spark executor
    time), beside the ingestion run it built on (the latest one finished before the build
    began) and the data health of that load day (ops_data_quality_daily): what was landed,
    rejected and quarantined. A view, like ops_dbt_node_history.
-#}
{{ config(materialized='view') }}

with

node_history as (
    select * from {{ ref('ops_dbt_node_history') }}
),

ingestion_runs as (
    select * from {{ ref('stg_ops__ingestion_runs') }}
),

data_quality as (
    select * from {{ ref('ops_data_quality_daily') }}
),

builds as (
    select
        invocation_id,
        count(*) as node_count,
        count_if(node_status in ('error', 'fail')) as failed_node_count,
        count_if(node_status = 'warn') as warned_node_count,
        count_if(node_status = 'skipped') as skipped_node_count,
        sum(case when layer = 'silver' then node_seconds else 0 end) as silver_seconds,
        sum(case when layer = 'gold' then node_seconds else 0 end) as gold_seconds,
        sum(case when layer = 'tests' then node_seconds else 0 end) as test_seconds,
        sum(executor_seconds) as executor_seconds,
        sum(rows_written) as rows_written,
        min(invocation_started_at) as build_started_at,
        max(completed_at) as build_completed_at
    from node_history
    group by invocation_id
),

ingestions as (
    select
        run_id,
        load_date,
        sum(rows_landed) as rows_landed,
        count_if(run_status = 'failed') as failed_table_count,
        max(finished_at) as ingestion_finished_at
    from ingestion_runs
    group by run_id, load_date
),

-- the ingestion a build read: the latest one finished before the build began
build_ingestions as (
    select
        builds.invocation_id,
        ingestions.run_id,
        ingestions.load_date,
        ingestions.rows_landed,
        ingestions.failed_table_count,
        row_number() over (
            partition by builds.invocation_id
            order by ingestions.ingestion_finished_at desc
        ) as recency
    from builds
    inner join ingestions
        on builds.build_started_at >= ingestions.ingestion_finished_at
),

day_health as (
    select
        load_date,
        sum(case when outcome = 'rejected' then row_total else 0 end) as rows_rejected,
        sum(case when outcome = 'quarantined' then row_total else 0 end) as rows_quarantined
    from data_quality
    group by load_date
),

joined as (
    select
        builds.invocation_id,
        build_ingestions.run_id as ingestion_run_id,
        builds.node_count,
        builds.failed_node_count,
        builds.warned_node_count,
        builds.skipped_node_count,
        builds.silver_seconds,
        builds.gold_seconds,
        builds.test_seconds,
        builds.executor_seconds,
        builds.rows_written,
        build_ingestions.rows_landed,
        build_ingestions.failed_table_count as failed_ingestion_table_count,
        day_health.rows_rejected,
        day_health.rows_quarantined,
        builds.failed_node_count = 0 as is_green,
        build_ingestions.load_date,
        builds.build_started_at,
        builds.build_completed_at
    from builds
    left join build_ingestions
        on
            builds.invocation_id = build_ingestions.invocation_id
            and build_ingestions.recency = 1
    left join day_health
        on build_ingestions.load_date = day_health.load_date
)

select * from joined
