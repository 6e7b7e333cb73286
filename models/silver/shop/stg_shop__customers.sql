{#- One row per customer: the current version, PII masked (no name, hashed e-mail, age band). -#}
with

source as (
    {{ latest_version(source('shop', 'customers'), 'customer_id') }}
),

masked as (
    select
        customer_id,
        {{ customer_pii_masked() }},
        source_row_count,
        created_at,
        updated_at
    from source
)

select * from masked
