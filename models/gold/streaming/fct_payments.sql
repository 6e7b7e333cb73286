{#- One row per payment, keyed to the customer version valid when charged, the plan, the date. -#}
with

payments as (
    select * from {{ ref('stg_shop__payments') }}
),

subscriptions as (
    select * from {{ ref('stg_shop__subscriptions') }}
),

customers as (
    select * from {{ ref('dim_customer') }}
),

plans as (
    select * from {{ ref('dim_plan') }}
),

joined as (
    select
        payments.payment_id,
        customers.customer_key,
        plans.plan_key,
        cast(date_format(payments.paid_date, 'yyyyMMdd') as int) as date_key,
        payments.customer_id,
        payments.subscription_id,
        payments.payment_status,
        payments.payment_method,
        payments.currency,
        payments.amount,
        payments.payment_status = 'paid' as is_paid,
        payments.paid_at,
        payments.paid_date
    from payments
    inner join subscriptions
        on payments.subscription_id = subscriptions.subscription_id
    inner join plans
        on subscriptions.plan_id = plans.plan_id
    inner join customers
        on
            payments.customer_id = customers.customer_id
            and {{ customer_version_valid_at('customers', 'payments.paid_at') }}
)

select * from joined
