{#- One row per title, artist, role and character: the CSV credits on conformed keys. -#}
with

credits as (
    select * from {{ ref('int_title_credits_unioned') }}
),

titles as (
    -- one row per title: its canonical key
    select * from {{ ref('dim_title') }}
    where title_key = canonical_title_key
),

keyed as (
    select distinct
        titles.title_key,
        {{ surrogate_key(['credits.artist_name', 'credits.birth_year']) }} as artist_key,
        credits.profession,
        credits.character_name
    from credits
    inner join titles
        on credits.title_id = titles.imdb_id
    where credits.artist_name is not null
)

select
    {{ surrogate_key(['title_key', 'artist_key', 'profession', 'character_name']) }}
        as title_artist_key,
    title_key,
    artist_key,
    profession,
    character_name
from keyed
