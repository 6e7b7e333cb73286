{#- One row per plan: its current version. -#}
with

source as (
    {{ latest_version(source('shop', 'plans'), 'plan_id') }}
),

renamed as (
    select
        plan_id,
        trim(plan_name) as plan_name,
        currency,
        monthly_price,
        max_screens,
        has_4k = 1 as has_4k,
        source_row_count,
        created_at,
        updated_at
    from source
)

select * from renamed
