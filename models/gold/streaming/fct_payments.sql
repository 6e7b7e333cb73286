{#-
    One row per payment, keyed to the customer version valid when charged, the plan and the
    date. Partitioned by paid_date, incremental: a run rewrites only the payment dates whose
    rows can have changed since the last run (insert_overwrite: each touched date recomputed
    whole and replaced in one Delta commit, as in fct_viewing_sessions):
    - the dates of the payments that landed a version since (and the date a changed payment
      held before, should its paid_at have moved);
    - the dates of the payments of a subscription that landed a version since (the plan is
      the one of the subscription);
    - the dates of the payments of a customer charged at or after a version of that customer
      that landed since (the customer version valid when charged may be that one).
    A plan cannot leave dim_plan (the latest valid version of a plan stays), and plan_key is a
    hash of plan_id: a new version of a plan rewrites nothing here.
-#}
-- depends_on: {{ ref('stg_shop__customer_versions') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        partition_by=['paid_date'],
        on_schema_change='fail',
    )
}}

{#- the watermark, a literal: Delta skips the files of stg tables with nothing newer -#}
{%- set since_last_run = last_loaded_at() if is_incremental() else none -%}

with

payments as (
    select * from {{ ref('stg_shop__payments') }}
    {% if is_incremental() -%}
        where paid_date in (
            -- one scan of the payments: those that landed a version since, and those of a
            -- subscription or a customer that did (the changed rows are few: with the
            -- literal watermark, Delta skips the files of older ones)
            select charged.paid_date
            from {{ ref('stg_shop__payments') }} as charged
            left join (
                select distinct subscription_id
                from {{ ref('stg_shop__subscriptions') }}
                where loaded_at > {{ since_last_run }}
            ) as changed_subscriptions
                on charged.subscription_id = changed_subscriptions.subscription_id
            left join (
                -- charged at or after any of them: at or after the earliest
                select
                    customer_id,
                    min(valid_from) as valid_from
                from {{ ref('stg_shop__customer_versions') }}
                where loaded_at > {{ since_last_run }}
                group by customer_id
            ) as changed_customers
                on
                    charged.customer_id = changed_customers.customer_id
                    and charged.paid_at >= changed_customers.valid_from
            where
                charged.loaded_at > {{ since_last_run }}
                or changed_subscriptions.subscription_id is not null
                or changed_customers.customer_id is not null
            union
            -- the date a changed payment held before
            select built.paid_date
            from {{ this }} as built
            inner join {{ ref('stg_shop__payments') }} as changed
                on built.payment_id = changed.payment_id
            where changed.loaded_at > {{ since_last_run }}
        )
    {%- endif %}
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
