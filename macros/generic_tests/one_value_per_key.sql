{#- Fails for every value of the key column that goes with more than one value of the other. -#}
{% test one_value_per_key(model, key, value) %}

select {{ key }}, count(distinct {{ value }}) as values_per_key
from {{ model }}
group by {{ key }}
having count(distinct {{ value }}) > 1

{% endtest %}
