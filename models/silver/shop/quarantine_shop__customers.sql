{#- Versions of shop.customers breaking a rule (base_shop__customers), with the first. -#}
{{ shop_quarantine('customers') }}
