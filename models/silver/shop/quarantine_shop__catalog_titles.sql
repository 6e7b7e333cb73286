{#- Versions of shop.catalog_titles that break a rule of shop_rules, with the first rule. -#}
with

{{ shop_versions('catalog_titles') }},

quarantined as (
    select
        catalog_title_id,
        quarantine_reason,
        1 as source_row_count,
        load_date,
        updated_at,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is not null
)

select * from quarantined
