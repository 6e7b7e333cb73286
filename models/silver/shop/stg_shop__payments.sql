{#- One row per payment: its latest valid version (rules: shop_rules). -#}
with

versions as (
    select * from {{ ref('base_shop__payments') }}
),

current_versions as (
    {{ latest_valid_version('payment_id') }}
),

renamed as (
    select
        payment_id,
        subscription_id,
        customer_id,
        lower(trim(status)) as payment_status,
        payment_method,
        currency,
        amount,
        source_row_count,
        paid_at,
        to_date(paid_at) as paid_date,
        updated_at
    from current_versions
)

select * from renamed
