{#-
    Nothing lost, nothing doubled: every row of the bronze table is represented in the model
    (rows carry source_row_count: the bronze rows each stands for) or in its quarantine model.
    Fails with the three counts when bronze != represented + quarantined.
    `latest_csv_version`: count only the latest version of each CSV file, as staging does.
-#}
{% test rows_accounted_for(model, source_relation, quarantine=none, latest_csv_version=false) %}

with

bronze as (
    select count(*) as bronze_rows
    from {{ source_relation }}
    where {{ latest_csv_file_version(source_relation) if latest_csv_version else 'true' }}
),

represented as (
    select coalesce(sum(source_row_count), 0) as represented_rows from {{ model }}
),

quarantined as (
    {% if quarantine -%}
    select coalesce(sum(source_row_count), 0) as quarantined_rows from {{ quarantine }}
    {%- else -%}
    select 0 as quarantined_rows
    {%- endif %}
),

compared as (
    select * from bronze cross join represented cross join quarantined
)

select * from compared
where bronze_rows != represented_rows + quarantined_rows

{% endtest %}
