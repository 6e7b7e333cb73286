{#-
    One row per artist of the CSV credits. The files carry no artist id: an artist is
    identified by name and birth year (two people of the same name and birth year are one).
-#}
with

credits as (
    select * from {{ ref('int_title_credits_unioned') }}
    where artist_name is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by artist_name, birth_year
            order by death_year is null, loaded_at desc, artist_gender asc
        ) as record_rank
    from credits
),

final as (
    select
        {{ surrogate_key(['artist_name', 'birth_year']) }} as artist_key,
        artist_name,
        artist_gender,
        birth_year,
        death_year
    from ranked
    where record_rank = 1
)

select * from final
