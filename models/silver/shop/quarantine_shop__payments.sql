{#- Versions of shop.payments that break a rule of shop_rules, with the first rule. -#}
with

{{ shop_versions('payments') }},

quarantined as (
    select
        payment_id,
        quarantine_reason,
        1 as source_row_count,
        load_date,
        updated_at,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is not null
)

select * from quarantined
