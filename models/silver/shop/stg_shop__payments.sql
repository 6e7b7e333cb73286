{#- One row per payment: its current version. -#}
with

source as (
    {{ latest_version(source('shop', 'payments'), 'payment_id') }}
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
    from source
)

select * from renamed
