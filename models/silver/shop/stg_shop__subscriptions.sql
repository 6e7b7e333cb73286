{#- One row per subscription: its current version. -#}
with

source as (
    {{ latest_version(source('shop', 'subscriptions'), 'subscription_id') }}
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
    from source
)

select * from renamed
