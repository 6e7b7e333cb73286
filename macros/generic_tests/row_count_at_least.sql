{#- Fails when the model has fewer than min_rows rows: an empty or truncated load. -#}
{% test row_count_at_least(model, min_rows) %}

with

counted as (
    select count(*) as row_count from {{ model }}
)

select row_count
from counted
where row_count < {{ min_rows }}

{% endtest %}
