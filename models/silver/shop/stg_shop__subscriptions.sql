{#-
    One row per subscription: its latest valid version (rules: shop_rules). Incremental, merged
    on subscription_id, as stg_shop__payments: a run recomputes only the subscriptions that
    landed a version since the last run. A Delta table in either file format: merge needs it.
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
    where {{ keys_landed_since_last_run(ref('base_shop__subscriptions'), 'subscription_id') }}
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
)

select * from renamed
