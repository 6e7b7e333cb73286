{#-
    SCD2 history of subscriptions derived from bronze, as stg_shop__customer_versions: one row
    per valid version (base_shop__subscriptions), valid from its updated_at until the next
    valid version; the first also covers the time before it (version_number 1). A version that
    breaks a rule is in quarantine_shop__subscriptions and is no version: the previous valid one
    stays in force. fct_payments keys a payment to the plan of the version in force when it was
    charged, so a plan change reaches the payments after it, never those before.
    valid_since: when the version became valid, the latest of its landing and the first
    landing of a valid version of its customer and of its plan (a version that waited in
    quarantine for them became valid when they landed, with its own landing days old). The
    daily run of fct_payments reads it to find the versions added since the last build
    (days_of_changed_versions); a rebuild gives the same value, from bronze alone.
    Incremental, merged on subscription_version_key: a run computes every history and merges
    only the versions whose row differs from the one held (changed_since_last_run): the new
    ones, and the previous current version of a subscription that got one, which gains its
    valid_to. A Delta table in either file format: merge needs it.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='subscription_version_key',
        file_format='delta',
        tblproperties={'delta.enableDeletionVectors': 'true'},
        on_schema_change='append_new_columns',
    )
}}

with

versions as (
    select * from {{ ref('base_shop__subscriptions') }}
),

customers_known as (
    select
        customer_id,
        min(loaded_at) as known_since
    from {{ ref('stg_shop__customer_versions') }}
    group by customer_id
),

plans_known as (
    select
        plan_id,
        min(_loaded_at) as known_since
    from {{ ref('base_shop__plans') }}
    where quarantine_reason is null
    group by plan_id
),

valid as (
    select
        versions.subscription_id,
        versions.customer_id,
        versions.plan_id,
        lower(trim(versions.status)) as subscription_status,
        1 as source_row_count,
        versions.updated_at as valid_from,
        greatest(
            versions._loaded_at, customers_known.known_since, plans_known.known_since
        ) as valid_since,
        versions._loaded_at as loaded_at
    from versions
    -- a valid version has both (its lookups): inner joins drop none
    inner join customers_known
        on versions.customer_id = customers_known.customer_id
    inner join plans_known
        on versions.plan_id = plans_known.plan_id
    where versions.quarantine_reason is null
),

windowed as (
    select
        {{ surrogate_key(['subscription_id', 'valid_from']) }} as subscription_version_key,
        *,
        row_number() over (partition by subscription_id order by valid_from) as version_number,
        lead(valid_from) over (partition by subscription_id order by valid_from) as valid_to
    from valid
),

final as (
    select
        subscription_version_key,
        subscription_id,
        customer_id,
        plan_id,
        subscription_status,
        source_row_count,
        version_number,
        valid_to is null as is_current,
        valid_from,
        valid_to,
        valid_since,
        loaded_at
    from windowed
),

changed as (
    {{ changed_since_last_run('final', 'subscription_version_key', 'subscription_version_key') }}
)

select * from changed
