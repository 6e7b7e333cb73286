{#-
    One row per payment: its latest valid version (rules: shop_rules). Incremental, merged on
    payment_id: a run computes every payment from all its versions and merges only those whose
    row differs from the one held (changed_since_last_run): a new version, a copy landed again,
    or a version that waited in quarantine for its subscription and is valid now that the
    subscription is. The daily run computes only the payments that landed a version since the
    last successful build or wait in quarantine for a subscription now known
    (daily_recomputed_keys), from all their versions, and compares them with the rows held
    in their key range. A Delta table in either file format: merge needs it. Deletion vectors
    on (as every merged model: docs/modelling.md): the merge marks the rows it replaces
    instead of rewriting the files that hold them, and writes new files for the rest.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='payment_id',
        file_format='delta',
        tblproperties={'delta.enableDeletionVectors': 'true'},
        on_schema_change='append_new_columns',
    )
}}

{#- the daily run: only the payments that landed a version or wait for a known subscription -#}
{%- set daily = daily_recomputed_keys(
    source('shop', 'payments'), 'payment_id', 'quarantine_shop__payments',
    shop_rules('payments')['lookups'],
) %}

with

versions as (
    select * from {{ ref('base_shop__payments') }}
    {%- if daily %}
        where {{ daily }}
    {%- endif %}
),

current_versions as (
    {{ latest_valid_version('versions', 'payment_id') }}
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
        updated_at,
        _loaded_at as loaded_at,
        {{ built_at() }} as built_at
    from current_versions
),

changed as (
    {{ changed_since_last_run(
        'renamed', 'payment_id', 'payment_id',
        held='(select * from ' ~ this ~ ' where ' ~ daily ~ ')' if daily else none,
    ) }}
)

select * from changed
