{#-
    One row per customer: its latest valid version (rules: shop_rules), PII masked (no name,
    hashed e-mail, age band).
-#}
with

{{ shop_versions('customers') }},

current_versions as (
    {{ latest_valid_version('customer_id') }}
),

masked as (
    select
        customer_id,
        {{ customer_pii_masked() }},
        source_row_count,
        created_at,
        updated_at
    from current_versions
)

select * from masked
