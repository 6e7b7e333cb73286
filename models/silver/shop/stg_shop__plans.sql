{#- One row per plan: its latest valid version (rules: shop_rules). -#}
with

versions as (
    select * from {{ ref('base_shop__plans') }}
),

current_versions as (
    {{ latest_valid_version('versions', 'plan_id') }}
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
    from current_versions
)

select * from renamed
