{#- Versions of shop.customers breaking a rule (base_shop__customers), with the first. -#}
with

versions as (
    select * from {{ ref('base_shop__customers') }}
),

quarantined as (
    select
        customer_id,
        quarantine_reason,
        1 as source_row_count,
        load_date,
        updated_at,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is not null
)

select * from quarantined
