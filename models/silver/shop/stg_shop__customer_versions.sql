{#-
    SCD2 history of customers derived from bronze (dbt snapshots need Delta, unavailable here):
    one row per valid version, valid from its updated_at until the next valid version
    (base_shop__customers, PII masked). A version that breaks a rule (shop_rules) is in
    quarantine_shop__customers and is not a version: the previous valid one stays in force until
    the source corrects the row, and the next build heals without touching bronze. The same
    version extracted twice is one version (the accounting test counts the copy as a collapsed
    duplicate).
    Incremental, merged on customer_version_key: a run computes every history and merges only
    the versions whose row differs from the one held (changed_since_last_run): the new ones,
    and the previous current version of a customer that got one, which gains its valid_to. A
    Delta table in either file format: merge needs it.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='customer_version_key',
        file_format='delta',
        tblproperties={'delta.enableDeletionVectors': 'true'},
        on_schema_change='append_new_columns',
    )
}}

with

versions as (
    select * from {{ ref('base_shop__customers') }}
),

masked as (
    select
        customer_id,
        email_hash,
        age_band,
        city,
        state,
        country,
        1 as source_row_count,
        updated_at as valid_from,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is null
),

windowed as (
    select
        {{ surrogate_key(['customer_id', 'valid_from']) }} as customer_version_key,
        *,
        lead(valid_from) over (partition by customer_id order by valid_from) as valid_to
    from masked
),

final as (
    select
        customer_version_key,
        customer_id,
        email_hash,
        age_band,
        city,
        state,
        country,
        source_row_count,
        valid_to is null as is_current,
        valid_from,
        valid_to,
        loaded_at
    from windowed
),

changed as (
    {{ changed_since_last_run('final', 'customer_version_key', 'customer_version_key') }}
)

select * from changed
