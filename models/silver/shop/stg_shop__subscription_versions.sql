{#-
    SCD2 history of subscriptions derived from bronze, as stg_shop__customer_versions: one row
    per valid version (base_shop__subscriptions), valid from its updated_at until the next
    valid version; the first also covers the time before it (version_number 1). A version that
    breaks a rule is in quarantine_shop__subscriptions and is no version: the previous valid one
    stays in force. fct_payments keys a payment to the plan of the version in force when it was
    charged, so a plan change reaches the payments after it, never those before.
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

valid as (
    select
        subscription_id,
        customer_id,
        plan_id,
        lower(trim(status)) as subscription_status,
        1 as source_row_count,
        updated_at as valid_from,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is null
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
        loaded_at
    from windowed
),

changed as (
    {{ changed_since_last_run('final', 'subscription_version_key', 'subscription_version_key') }}
)

select * from changed
