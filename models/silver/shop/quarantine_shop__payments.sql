{#- Versions of shop.payments breaking a rule (base_shop__payments), with the first. -#}
{{ shop_quarantine('payments') }}
