{#- One row per subscription plan. -#}
with

plans as (
    select * from {{ ref('stg_shop__plans') }}
),

final as (
    select
        {{ surrogate_key(['plan_id']) }} as plan_key,
        plan_id,
        plan_name,
        currency,
        monthly_price,
        max_screens,
        has_4k
    from plans
)

select * from final
