{#-
    SCD2 customer dimension: one row per customer version (from stg_shop__customer_versions),
    PII masked. Facts join the version valid when the event happened; the first version also
    covers events before its valid_from (the customer existed, unchanged, before).
-#}
with

versions as (
    select * from {{ ref('stg_shop__customer_versions') }}
),

numbered as (
    select
        customer_version_key as customer_key,
        customer_id,
        email_hash,
        age_band,
        city,
        state,
        country,
        cast(row_number() over (partition by customer_id order by valid_from) as int)
            as version_number,
        is_current,
        valid_from,
        valid_to
    from versions
)

select * from numbered
