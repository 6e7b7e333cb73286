{#- Every credit line of both CSV files (movies and series): the one place they are unioned. -#}
with

movies as (
    select * from {{ ref('stg_csv__movies') }}
),

series as (
    select * from {{ ref('stg_csv__series') }}
),

unioned as (
    -- both sides are the csv_credits macro's output: the same columns in the same order
    select * from movies
    union all
    select * from series
)

select * from unioned  -- noqa: AM04
