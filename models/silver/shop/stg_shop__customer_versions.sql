{#-
    SCD2 history of customers derived from bronze (dbt snapshots need Delta, unavailable
    here): one row per version, valid from its updated_at until the next version's.
    The same version extracted twice counts once (source_row_count says how often it came).
-#}
with

source as (
    select * from {{ source('shop', 'customers') }}
),

versions as (
    select
        *,
        row_number() over (
            partition by customer_id, updated_at order by _loaded_at desc
        ) as copy_rank,
        count(*) over (partition by customer_id, updated_at) as source_row_count
    from source
),

masked as (
    select
        customer_id,
        {{ customer_pii_masked() }},
        source_row_count,
        updated_at as valid_from
    from versions
    where copy_rank = 1
),

windowed as (
    select
        {{ surrogate_key(['customer_id', 'valid_from']) }} as customer_version_key,
        *,
        lead(valid_from) over (partition by customer_id order by valid_from) as valid_to
    from masked
),

final as (
    select
        customer_version_key,
        customer_id,
        email_hash,
        age_band,
        city,
        state,
        country,
        source_row_count,
        valid_to is null as is_current,
        valid_from,
        valid_to
    from windowed
)

select * from final
