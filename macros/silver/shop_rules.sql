{#-
    The quarantine contract of a shop table, written once and read by its base model
    (base_shop__<table>, through shop_versions), which its staging and quarantine models read:
    the key; the columns later layers need (missing_<column> when null or blank; the key and
    updated_at always); domain and range rules as (reason, condition on the bronze columns); and
    the keys that must resolve, as lookups into the staging model of another table, named here
    and referenced by shop_versions alone (unknown_<entity> when the key is null or not found
    there). Returns these, the checks in order as (reason, condition), and their reasons: the
    codes the quarantine model accepts (shop_quarantine), so that no list of codes is written
    by hand. Only the entry of the requested table is built, and it calls no ref, so that
    reading the reasons adds no dependency to a model or a test.
-#}
{% macro shop_rules(table) %}
    {%- if table == 'plans' -%}
        {%- set rules = {
            'key': 'plan_id',
            'required': ['plan_name', 'monthly_price', 'has_4k'],
            'rules': [('negative_price', 'monthly_price < 0')],
            'lookups': [],
        } -%}
    {%- elif table == 'customers' -%}
        {%- set rules = {
            'key': 'customer_id',
            'required': ['email', 'city', 'country'],
            'rules': [],
            'lookups': [],
        } -%}
    {%- elif table == 'subscriptions' -%}
        {%- set rules = {
            'key': 'subscription_id',
            'required': ['auto_renew', 'started_at'],
            'rules': [(
                'unknown_status',
                "lower(trim(status)) not in ('active', 'cancelled', 'paused')"
                ~ " or status is null"
            )],
            'lookups': [
                {'column': 'customer_id', 'to': 'stg_shop__customers', 'reason': 'unknown_customer'},
                {'column': 'plan_id', 'to': 'stg_shop__plans', 'reason': 'unknown_plan'},
            ],
        } -%}
    {%- elif table == 'catalog_titles' -%}
        {%- set rules = {
            'key': 'catalog_title_id',
            'required': ['service_title', 'is_available'],
            'rules': [(
                'unknown_title_type',
                "title_type not in ('movie', 'series') or title_type is null"
            )],
            'lookups': [],
        } -%}
    {%- elif table == 'payments' -%}
        {#- its customer too, not only its subscription: fct_payments keys a payment to its
            own customer, and an inner join would leave out one that silver does not know -#}
        {%- set rules = {
            'key': 'payment_id',
            'required': ['customer_id', 'amount', 'paid_at'],
            'rules': [(
                'unknown_status',
                "lower(trim(status)) not in ('paid', 'failed', 'refunded') or status is null"
            )],
            'lookups': [
                {'column': 'subscription_id', 'to': 'stg_shop__subscriptions',
                 'reason': 'unknown_subscription'},
                {'column': 'customer_id', 'to': 'stg_shop__customers', 'reason': 'unknown_customer'},
            ],
        } -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('shop_rules: no rules for table ' ~ table) }}
    {%- endif -%}
    {#- the checks in order, as (reason, condition): the first that holds is the reason -#}
    {%- set checks = [] -%}
    {%- for column in [rules['key'], 'updated_at'] + rules['required'] -%}
        {%- do checks.append((
            'missing_' ~ column,
            "nullif(trim(cast(copies." ~ column ~ " as string)), '') is null",
        )) -%}
    {%- endfor -%}
    {%- for reason, condition in rules['rules'] -%}
        {%- do checks.append((reason, condition)) -%}
    {%- endfor -%}
    {%- for lookup in rules['lookups'] -%}
        {%- set condition = 'known_' ~ lookup['column'] ~ 's.known_key is null' -%}
        {%- do checks.append((lookup['reason'], condition)) -%}
    {%- endfor -%}
    {%- do rules.update({'checks': checks, 'reasons': checks | map(attribute=0) | list}) -%}
    {{ return(rules) }}
{% endmacro %}
