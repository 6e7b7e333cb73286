{#-
    The select of the base model of a shop table (base_shop__<table>, read by its staging and
    quarantine models): every distinct version (key, updated_at) of its append-only bronze
    history once, however many times it was extracted (distinct_versions: a re-read of the lag
    window lands the same version again; the accounting test counts such copies apart), with
    the load day of its latest copy and the first rule of shop_rules(table) it breaks
    (quarantine_reason, null when none). A whole select: a model that adds columns reads it
    from a CTE of its own.
-#}
{% macro shop_versions(table) %}
    {%- set contract = shop_rules(table) -%}
with

{% for lookup in contract['lookups'] %}
    known_{{ lookup['column'] }}s as (
        select distinct {{ lookup['column'] }} as known_key from {{ ref(lookup['to']) }}
    ),

{% endfor %}
copies as (
    {{ distinct_versions(source('shop', table), contract['key']) }}
),

versions as (
    select
        copies.*,
        {{ bronze_load_date('copies') }} as load_date,
        case
            {% for reason, condition in contract['checks'] %}
                when {{ condition }} then '{{ reason }}'
            {% endfor %}
        end as quarantine_reason
    from copies
    {% for lookup in contract['lookups'] %}
        left join known_{{ lookup['column'] }}s
            on copies.{{ lookup['column'] }} = known_{{ lookup['column'] }}s.known_key
    {% endfor %}
)

select * from versions
{% endmacro %}
