{#-
    Quarantine of a shop table (plans, customers, subscriptions, catalog_titles, payments): its
    versions that break a rule of shop_rules(table), one row per version with the first rule,
    read from its base model (base_shop__<table>). The codes the model may hold are the reasons
    of shop_rules, set here as the meta quarantine_reasons of the model: the generic test
    quarantine_reasons_known checks the rows against them and the contract check of
    tests/unit/test_quarantine_contract.py the staging column meta.
    With each key the version looks up (the customer and plan of a subscription, the
    subscription of a payment): what a waiting version waits for. Built after the staging model of the
    table (depends_on), which reads the quarantine the last run left to find the versions a
    key now known lets in (daily_recomputed_keys). On the daily run the quarantine of payments
    recomputes the same keys (it still holds what the last run left) and keeps the rows of the
    others.
    viewing_sessions stays apart (quarantine_shop__viewing_sessions over viewing_session_lines):
    it judges the latest version of a session and not every version, on cleaned columns, with
    rules that are not in shop_rules, and its quarantine keeps the session columns an analyst
    needs to see why (customer, title, minutes, rating); a column list here would not make
    those the same.
-#}
{% macro shop_quarantine(table) %}
    {%- set contract = shop_rules(table) -%}
    {{- config(meta={'quarantine_reasons': contract['reasons']}) -}}
    {%- set key = contract['key'] -%}
    {#- the daily run of payments: the versions of the keys it recomputes (a version without a
        key belongs to no key: all of them, and Delta skips the files with none), and the held
        rows of the others. The small tables stay whole: a day updates old subscriptions, so
        their key range is the whole table, and the daily form read more (docs/benchmarks.md) -#}
    {%- set daily = daily_recomputed_keys(
        source('shop', table), key, 'quarantine_shop__' ~ table, contract['lookups'],
    ) if table == 'payments' else none -%}
    {%- set recomputed = 'where (' ~ daily ~ ') or ' ~ key ~ ' is null' if daily else '' -%}
    {%- set held_others = (
        'union all select * from ' ~ this ~ ' where ' ~ key ~ ' is not null and not (' ~ daily ~ ')'
    ) if daily else '' -%}
    {%- set waits_for = contract['lookups'] | map(attribute='column') | list -%}
    -- depends_on: {{ ref('stg_shop__' ~ table) }}
    with

    versions as (
        select * from {{ ref('base_shop__' ~ table) }} {{ recomputed }}
    ),

    quarantined as (
        select
            {{ key }},
            quarantine_reason,
            {{ waits_for | join(', ') ~ ',' if waits_for else '' }}
            1 as source_row_count,
            load_date,
            updated_at,
            _loaded_at as loaded_at
        from versions
        where quarantine_reason is not null
    )

    select * from quarantined
    {{ held_others }}
{% endmacro %}
