{#-
    One row per subscription: its latest valid version (rules: shop_rules). Incremental, merged
    on subscription_id, as stg_shop__payments: a run merges only the subscriptions whose row
    differs from the one held (changed_since_last_run). A Delta table in either file format:
    merge needs it.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='subscription_id',
        file_format='delta',
        tblproperties={'delta.enableDeletionVectors': 'true'},
        on_schema_change='append_new_columns',
    )
}}

with

versions as (
    select * from {{ ref('base_shop__subscriptions') }}
),

current_versions as (
    {{ latest_valid_version('versions', 'subscription_id') }}
),

renamed as (
    select
        subscription_id,
        customer_id,
        plan_id,
        lower(trim(status)) as subscription_status,
        source_row_count,
        auto_renew = 1 as is_auto_renew,
        started_at,
        cancelled_at,
        updated_at,
        _loaded_at as loaded_at
    from current_versions
),

changed as (
    {{ changed_since_last_run('renamed', 'subscription_id', 'subscription_id') }}
)

select * from changed
