{#- Versions of shop.plans breaking a rule (base_shop__plans), with the first. -#}
{{ shop_quarantine('plans') }}
