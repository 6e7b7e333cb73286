{#-
    Every distinct version (key, updated_at) of shop.subscriptions, with the first rule of
    shop_rules it breaks (quarantine_reason, null when none): read by stg_shop__subscriptions
    and quarantine_shop__subscriptions, so the rules exist once.
-#}
{{ shop_versions('subscriptions') }}
