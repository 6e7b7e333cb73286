{#-
    One row per customer: its latest valid version (rules: shop_rules), PII masked (no name,
    hashed e-mail, age band) in base_shop__customers.
-#}
with

versions as (
    select * from {{ ref('base_shop__customers') }}
),

current_versions as (
    {{ latest_valid_version('versions', 'customer_id') }}
),

masked as (
    select
        customer_id,
        email_hash,
        age_band,
        city,
        state,
        country,
        source_row_count,
        created_at,
        updated_at
    from current_versions
)

select * from masked
