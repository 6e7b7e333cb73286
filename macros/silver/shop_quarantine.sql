{#-
    Quarantine of a shop table (plans, customers, subscriptions, catalog_titles, payments): its
    versions that break a rule of shop_rules(table), one row per version with the first rule,
    read from its base model (base_shop__<table>). The codes the model may hold are the reasons
    of shop_rules, set here as the meta quarantine_reasons of the model: the generic test
    quarantine_reasons_known checks the rows against them and the contract check of
    tests/unit/test_quarantine_contract.py the staging column meta.
    viewing_sessions stays apart (quarantine_shop__viewing_sessions over viewing_session_lines):
    it judges the latest version of a session and not every version, on cleaned columns, with
    rules that are not in shop_rules, and its quarantine keeps the session columns an analyst
    needs to see why (customer, title, minutes, rating); a column list here would not make
    those the same.
-#}
{% macro shop_quarantine(table) %}
{%- set contract = shop_rules(table) -%}
{{- config(meta={'quarantine_reasons': contract['reasons']}) -}}
with

versions as (
    select * from {{ ref('base_shop__' ~ table) }}
),

quarantined as (
    select
        {{ contract['key'] }},
        quarantine_reason,
        1 as source_row_count,
        load_date,
        updated_at,
        _loaded_at as loaded_at
    from versions
    where quarantine_reason is not null
)

select * from quarantined
{% endmacro %}
