{#-
    SCD2 history of customers derived from bronze (dbt snapshots need Delta, unavailable here):
    one row per valid version, valid from its updated_at until the next valid version
    (base_shop__customers, PII masked). A version that breaks a rule (shop_rules) is in
    quarantine_shop__customers and is not a version: the previous valid one stays in force until
    the source corrects the row, and the next build heals without touching bronze. The same
    version extracted twice is one version (the accounting test counts the copy as a collapsed
    duplicate).
-#}
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
        updated_at as valid_from
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
        valid_to
    from windowed
)

select * from final
