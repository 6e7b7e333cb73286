{#-
    unique, for a big incremental model stamped with built_at. Every build but the daily run
    checks every row. The daily run checks the keys in the range of those written since
    (written_keys_range), with every row holding one. Exact by induction: a key held twice
    where neither row was written since was held twice when the last successful build
    checked it; a duplicate with a row written since has its key in the range, and both its
    rows are read.
-#}
{% test unique_written_keys(model, column_name) %}

select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null and {{ written_keys_range(column_name, model) or 'true' }}
group by {{ column_name }}
having count(*) > 1

{% endtest %}
