{#-
    Nothing lost, nothing doubled: every row of the bronze table is represented in the model
    (rows carry source_row_count: the bronze rows, or versions, each stands for) or in its
    quarantine model. Fails with the counts when bronze != represented + quarantined.
    latest_csv_version: count only the latest version of each CSV file, as staging does.
    version_key: the columns of a version, e.g. [customer_id, updated_at]: bronze rows that
    repeat a version (an incremental re-read of a lag window lands it again) are collapsed
    copies, reported as duplicate_rows and not expected in silver.
    key: the key of an incremental model stamped with built_at, whose versions are each
    represented under their own key (in the model, or in the quarantine, where a version
    without a key stands under none). The daily run then accounts for the keys in the range
    of those written or landed since (written_keys_range) and the versions without a key:
    exact by induction, as unique_written_keys (bronze is append-only, and a key none of whose
    rows moved was accounted for by the last successful build), and Delta skips the files
    outside the range. Any other build accounts for every row.
-#}
{% test rows_accounted_for(
    model, source_relation, quarantine=none, latest_csv_version=false, version_key=none, key=none
) %}
    {#- the predicates as strings: sqlfluff (jinja templater) reads both branches of an if -#}
    {%- set in_range = written_keys_range(key, model, source_relation) if key else none -%}
    {%- set keyed = 'true' if in_range is none else in_range -%}
    {%- set keyed_or_none = 'true' if in_range is none
        else '(' ~ in_range ~ ' or ' ~ key ~ ' is null)' -%}

with

bronze_rows as (
    select * from {{ source_relation }}
    where {{ latest_csv_file_version(source_relation) if latest_csv_version else 'true' }}
        and {{ keyed_or_none }}
),

bronze as (
    select
        (select count(*) from bronze_rows) as bronze_rows,
        {% if version_key -%}
        (select count(*) from (select distinct {{ version_key | join(', ') }} from bronze_rows))
        {%- else -%}
        (select count(*) from bronze_rows)
        {%- endif %} as distinct_rows
),

represented as (
    select coalesce(sum(source_row_count), 0) as represented_rows from {{ model }}
    where {{ keyed }}
),

quarantined as (
    {% if quarantine -%}
    select coalesce(sum(source_row_count), 0) as quarantined_rows from {{ quarantine }}
    where {{ keyed_or_none }}
    {%- else -%}
    select 0 as quarantined_rows
    {%- endif %}
),

compared as (
    select
        bronze.bronze_rows,
        bronze.bronze_rows - bronze.distinct_rows as duplicate_rows,
        represented.represented_rows,
        quarantined.quarantined_rows,
        bronze.distinct_rows
    from bronze
    cross join represented
    cross join quarantined
)

select * from compared
where distinct_rows != represented_rows + quarantined_rows

{% endtest %}
