{#- Versions of shop.catalog_titles breaking a rule (base_shop__catalog_titles), with the first. -#}
{{ shop_quarantine('catalog_titles') }}
