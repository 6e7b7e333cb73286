{#-
    Every distinct version (key, updated_at) of shop.plans, with the first rule of shop_rules
    it breaks (quarantine_reason, null when none): read by stg_shop__plans and
    quarantine_shop__plans, so the rules exist once.
-#}
{{ shop_versions('plans') }}
