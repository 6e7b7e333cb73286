{#-
    One row per title, artist, role and character: the CSV credits on conformed keys. The keys
    come from the key map (int_title_keys), not dim_title, whose TMDB figures change every
    day: the bridge changes only when the credits or the keys do, and the daily run keeps
    it on the other days (keep_unchanged).
-#}
{{ config(keep_unchanged='inputs') }}

with

credits as (
    select * from {{ ref('int_title_credits_unioned') }}
),

titles as (
    -- one row per conformed title: its canonical key (the title_key of its dim_title row)
    select distinct
        conformed_title_id,
        canonical_title_key as title_key
    from {{ ref('int_title_keys') }}
    where is_current
),

keyed as (
    select distinct
        titles.title_key,
        {{ surrogate_key(['credits.artist_name', 'credits.birth_year']) }} as artist_key,
        credits.profession,
        credits.character_name
    from credits
    inner join titles
        on credits.title_id = titles.conformed_title_id
    where credits.artist_name is not null
)

select
    {{ surrogate_key(['title_key', 'artist_key', 'profession', 'character_name']) }}
        as title_artist_key,
    title_key,
    artist_key,
    profession,
    character_name,
    {{ built_at() }} as built_at
from keyed
