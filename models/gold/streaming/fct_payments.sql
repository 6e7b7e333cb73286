{#-
    One row per payment, keyed to the customer version valid when charged, the plan of the
    subscription version in force then (a plan change reaches the payments after it, never
    those before: they were charged under the old plan) and the date. Partitioned by
    paid_date, incremental: a run rewrites only the payment dates where a row it gives now
    differs from the one it holds (changed_since_last_run; insert_overwrite: each touched date
    recomputed whole and replaced in one Delta commit, as in fct_viewing_sessions), whatever
    the cause: a payment that landed a version (its old date too, should its paid_at have
    moved), a subscription or customer version that landed late, a payment that a later
    subscription made valid.
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

{#-
    The daily run (daily_since) recomputes the days where a row may differ, and compares
    those alone, as fct_viewing_sessions does: a row of a day differs only if its payment was
    written in staging since (the days staging rewrote), landed a version (the held days of
    the keys daily_recomputed_keys gives), or the version of its customer or of its
    subscription in force when it was charged may have changed (days_of_changed_versions).
-#}
-- depends_on: {{ ref('stg_shop__customer_versions') }}
{%- set since = daily_since() -%}
{%- set daily = daily_recomputed_keys(source('shop', 'payments'), 'payment_id', none, []) -%}
{%- if daily -%}
    {%- set day_sources = [
        'select paid_date from ' ~ ref('stg_shop__payments') ~ ' where ' ~ built_since(since),
        'select paid_date from ' ~ this ~ ' where ' ~ daily,
    ] -%}
    {%- for key, versions, landed_at in [
        ('customer_id', 'stg_shop__customer_versions', 'loaded_at'),
        ('subscription_id', 'stg_shop__subscription_versions', 'valid_since'),
    ] -%}
        {%- set version_days = days_of_changed_versions(
            ref('stg_shop__payments'), key, 'paid_at', 'paid_date', ref(versions), since,
            landed_at,
        ) -%}
        {%- if version_days -%}
            {%- do day_sources.append(version_days) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set on_days = in_values_of(
        'paid_date', 'select distinct cast(paid_date as string) from ('
        ~ day_sources | join(' union all ') ~ ')'
    ) -%}
{%- endif %}

with

payments as (
    select * from {{ ref('stg_shop__payments') }}
    {%- if daily %}
        where {{ on_days }}
    {%- endif %}
),

subscription_versions as (
    select * from {{ ref('stg_shop__subscription_versions') }}
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
    inner join subscription_versions
        on
            payments.subscription_id = subscription_versions.subscription_id
            and {{ version_valid_at('subscription_versions', 'payments.paid_at') }}
    inner join plans
        on subscription_versions.plan_id = plans.plan_id
    inner join customers
        on
            payments.customer_id = customers.customer_id
            and {{ version_valid_at('customers', 'payments.paid_at') }}
),

changed as (
    {{ changed_since_last_run(
        'joined', 'payment_id', 'paid_date',
        held='(select * from ' ~ this ~ ' where ' ~ on_days ~ ')' if daily else none,
    ) }}
)

select * from changed
