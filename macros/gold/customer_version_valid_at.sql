{#-
    The SCD2 "valid at" join condition of dim_customer, written once for every fact: the
    customer version in force at event_at (valid_from <= event_at < valid_to; the first
    version also covers events before it, the current one has no valid_to). Use it in the
    on of the join, after the customer_id equality.
-#}
{% macro customer_version_valid_at(customers, event_at) -%}
    ({{ event_at }} >= {{ customers }}.valid_from or {{ customers }}.version_number = 1)
    and ({{ event_at }} < {{ customers }}.valid_to or {{ customers }}.valid_to is null)
{%- endmacro %}
