{#-
    One row per calendar day from 2015-01-01 to the var calendar_last_day (dbt_project.yml),
    with pt-BR and English names. A fixed range, not one that ends a year from today: the
    daily run never rebuilds this model (no source, no code change), so a range that moved
    with the clock stood still at the last full build, and a rebuild a day later differed
    from it by a row. A fact dated past the last day fails its relationships test on date_key.
-#}
with

spine as (
    select
        explode(
            sequence(to_date('2015-01-01'), to_date('{{ var("calendar_last_day") }}'))
        ) as calendar_date
),

named as (
    select
        cast(date_format(calendar_date, 'yyyyMMdd') as int) as date_key,
        date_format(calendar_date, 'MMMM') as month_name_en,
        element_at(
            array(
                'janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto',
                'setembro', 'outubro', 'novembro', 'dezembro'
            ),
            month(calendar_date)
        ) as month_name_pt_br,
        date_format(calendar_date, 'EEEE') as weekday_name_en,
        element_at(
            array(
                'domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira',
                'sexta-feira', 'sábado'
            ),
            dayofweek(calendar_date)
        ) as weekday_name_pt_br,
        year(calendar_date) as calendar_year,
        quarter(calendar_date) as calendar_quarter,
        month(calendar_date) as calendar_month,
        day(calendar_date) as day_of_month,
        dayofweek(calendar_date) as day_of_week,
        dayofweek(calendar_date) in (1, 7) as is_weekend,
        calendar_date
    from spine
)

select * from named
