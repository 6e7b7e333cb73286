{#-
    One row per payment: its latest valid version (rules: shop_rules). Incremental, merged on
    payment_id: a run recomputes only the payments that landed a version since the last run
    (keys_landed_since_last_run), from all their versions, and merges them in; the payments
    that did not change are not read again. A Delta table in either file format: merge needs it.
    Deletion vectors on (as every merged model: docs/modelling.md): the merge marks the rows it
    replaces instead of rewriting the files that hold them, and writes new files for the rest.
    A version quarantined for an unknown subscription is re-read when its payment lands again,
    or by a --full-refresh.
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

with

versions as (
    select * from {{ ref('base_shop__payments') }}
    where {{ keys_landed_since_last_run(ref('base_shop__payments'), 'payment_id') }}
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
        _loaded_at as loaded_at
    from current_versions
)

select * from renamed
