{#- Versions of shop.subscriptions breaking a rule (base_shop__subscriptions), with the first. -#}
{{ shop_quarantine('subscriptions') }}
