{#-
    Fails (warns, at severity warn) for every load day and table of ops_data_quality_daily
    whose quarantined rows exceed max_share of the rows landed that day.
-#}
{% test quarantined_share_at_most(model, max_share) %}

with

per_table_day as (
    select
        load_date,
        source_name,
        source_table,
        sum(case when outcome = 'landed' then row_total else 0 end) as landed_rows,
        sum(case when outcome = 'quarantined' then row_total else 0 end) as quarantined_rows
    from {{ model }}
    group by load_date, source_name, source_table
)

select *
from per_table_day
where quarantined_rows > {{ max_share }} * landed_rows

{% endtest %}
