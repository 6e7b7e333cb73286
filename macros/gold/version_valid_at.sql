{#-
    The SCD2 "valid at" join condition, written once for every fact: the version (of a
    customer in dim_customer, of a subscription in stg_shop__subscription_versions) in force at
    event_at (valid_from <= event_at < valid_to; the first version, version_number 1, also
    covers events before it, the current one has no valid_to). Use it in the on of the join,
    after the equality of the versioned key.
-#}
{% macro version_valid_at(versions, event_at) -%}
    ({{ event_at }} >= {{ versions }}.valid_from or {{ versions }}.version_number = 1)
    and ({{ event_at }} < {{ versions }}.valid_to or {{ versions }}.valid_to is null)
{%- endmacro %}
