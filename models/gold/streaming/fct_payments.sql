{#-
    One row per payment, keyed to the customer version valid when charged, the plan and the
    date. Partitioned by paid_date, incremental: a run rewrites only the payment dates where a
    row it gives now differs from the one it holds (changed_since_last_run; insert_overwrite:
    each touched date recomputed whole and replaced in one Delta commit, as in
    fct_viewing_sessions), whatever the cause: a payment that landed a version (its old date
    too, should its paid_at have moved), a subscription that changed plan, a customer version
    that landed late, a payment that a later subscription made valid.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        unique_key='payment_id',
        partition_by=['paid_date'],
        on_schema_change='fail',
    )
}}

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
        payments.loaded_at,
        {{ built_at() }} as built_at,
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
),

changed as (
    {{ changed_since_last_run('joined', 'payment_id', 'paid_date') }}
)

select * from changed
