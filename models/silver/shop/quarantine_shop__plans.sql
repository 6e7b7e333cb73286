{#- Versions of shop.plans that break a rule of shop_rules, with the first rule. -#}
with

{{ shop_versions('plans') }},

quarantined as (
    select
        plan_id,
        quarantine_reason,
        1 as source_row_count,
        load_date,
        updated_at,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is not null
)

select * from quarantined
