{#- One row per subscription: its latest valid version (rules: shop_rules). -#}
with

versions as (
    select * from {{ ref('base_shop__subscriptions') }}
),

current_versions as (
    {{ latest_valid_version('subscription_id') }}
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
        updated_at
    from current_versions
)

select * from renamed
