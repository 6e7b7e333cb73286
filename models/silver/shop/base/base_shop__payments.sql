{#-
    Every distinct version (key, updated_at) of shop.payments, with the first rule of shop_rules
    it breaks (quarantine_reason, null when none): read by stg_shop__payments and
    quarantine_shop__payments, so the rules exist once.
-#}
{{ shop_versions('payments') }}
