{#-
    The CTEs of the base model of a shop table (base_shop__<table>, read by its staging and
    quarantine models): every distinct version (key, updated_at) of its append-only bronze
    history once, however many times it was extracted (a re-read of the lag window lands the
    same version again; the accounting test counts such copies apart), with the load day of
    its latest copy and the first rule of shop_rules(table) it breaks (quarantine_reason,
    null when none). Produces the CTE versions.
-#}
{% macro shop_versions(table) %}
    {% set contract = shop_rules(table) %}
    {% set key = contract['key'] -%}
source as (
    select * from {{ source('shop', table) }}
),

{% for lookup in contract['lookups'] %}
    known_{{ lookup['column'] }}s as (
        select distinct {{ lookup['column'] }} as known_key from {{ lookup['to'] }}
    ),

{% endfor %}
copies as (
    select
        *,
        row_number() over (
            partition by {{ key }}, updated_at order by _loaded_at desc
        ) as copy_rank
    from source
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
    where copies.copy_rank = 1
)
{% endmacro %}
