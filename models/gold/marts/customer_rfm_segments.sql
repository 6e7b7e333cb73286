{#-
    The segmentation of seed 001, per current customer: recency (days since the last session),
    frequency (sessions) and monetary value (paid amount) over the 90 days up to the latest
    session in the data, scored 1-5 by quintile and named. Equal values score the same
    (quintile_score), so the scores depend on the data only, never on the order rows are read.
    The 90 days are a filter on the partition column of each fact, with the same scalar
    subquery everywhere (Spark runs it once and prunes the partitions at run time): the two
    years of payments are not read for 90 days of them, as a cross join with as_of did.
-#}
with

as_of as (
    select max(session_date) as as_of_date from {{ ref('fct_viewing_sessions') }}
),

sessions as (
    select * from {{ ref('fct_viewing_sessions') }}
    where session_date > date_sub((select as_of.as_of_date from as_of), 90)
),

payments as (
    select * from {{ ref('fct_payments') }}
    where paid_date > date_sub((select as_of.as_of_date from as_of), 90)
),

customers as (
    select * from {{ ref('dim_customer') }}
    where is_current
),

activity as (
    select
        customer_id,
        datediff((select as_of.as_of_date from as_of), max(session_date)) as recency_days,
        count(*) as frequency
    from sessions
    group by customer_id
),

spend as (
    select
        customer_id,
        sum(amount) as monetary
    from payments
    where is_paid
    group by customer_id
),

scored as (
    select
        customers.customer_key,
        customers.customer_id,
        activity.recency_days,
        activity.frequency,
        coalesce(spend.monetary, 0) as monetary,
        {{ quintile_score('-activity.recency_days') }} as recency_score,
        {{ quintile_score('activity.frequency') }} as frequency_score,
        {{ quintile_score('coalesce(spend.monetary, 0)') }} as monetary_score
    from customers
    inner join activity
        on customers.customer_id = activity.customer_id
    left join spend
        on customers.customer_id = spend.customer_id
),

segmented as (
    select
        *,
        case
            when recency_score >= 4 and frequency_score >= 4 then 'champions'
            when recency_score >= 3 and frequency_score >= 3 then 'loyal'
            when recency_score >= 4 then 'promising'
            when recency_score <= 2 and frequency_score >= 3 then 'at risk'
            else 'hibernating'
        end as segment
    from scored
)

select * from segmented
