{#-
    Every distinct version (key, updated_at) of shop.catalog_titles, with the first rule of
    shop_rules it breaks (quarantine_reason, null when none): read by stg_shop__catalog_titles
    and quarantine_shop__catalog_titles, so the rules exist once.
-#}
{{ shop_versions('catalog_titles') }}
