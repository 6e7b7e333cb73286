{#-
    Every distinct version (customer_id, updated_at) of shop.customers, PII masked (no name,
    hashed e-mail, age band), with the first rule of shop_rules it breaks (quarantine_reason,
    null when none; judged on the columns as landed): read by stg_shop__customers,
    stg_shop__customer_versions and quarantine_shop__customers, so the rules exist once.
-#}
with

-- not named versions: a CTE of shop_versions is, and a nested name must not shadow
checked_versions as (
    {{ shop_versions('customers') }}
),

masked as (
    select
        customer_id,
        {{ customer_pii_masked() }},
        created_at,
        updated_at,
        load_date,
        _loaded_at,
        quarantine_reason
    from checked_versions
)

select * from masked
