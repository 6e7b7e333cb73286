{#-
    The select of the base models of movies.csv and series.csv (base_csv__movies,
    base_csv__series; the two files share their rules): the latest version of each file,
    values cleaned and cast, and the first rule each line breaks (null when it breaks none).
    Staging and quarantine both read the base model, so they always add up to bronze.
-#}
{% macro csv_title_lines(source_relation, title_type) %}
with

source as (
    select * from {{ source_relation }}
    where {{ latest_csv_file_version(source_relation) }}
),

cleaned as (
    select
        {{ csv_value('id') }} as title_id,
        -- the files carry no CSV quoting: a stray " is noise around the title
        nullif(regexp_replace({{ csv_value('titulo_pincipal') }}, '^"+|"+$', ''), '')
            as primary_title,
        regexp_replace({{ csv_value('titulo_original') }}, '^"+|"+$', '') as original_title,
        {{ csv_value('genero') }} as genres,
        {{ csv_value('nome_artista') }} as artist_name,
        {{ csv_value('genero_artista') }} as artist_gender,
        {{ csv_value('personagem') }} as character_name,
        {{ csv_value('profissao') }} as profession,
        {{ csv_value('titulos_mais_conhecidos') }} as known_for_title_ids,
        {{ csv_value('ano_lancamento') }} as start_year_text,
        {{ csv_value('ano_termino') if title_type == 'series' else 'cast(null as string)' }} as end_year_text,
        {{ csv_value('tempo_minutos') }} as runtime_text,
        {{ csv_value('nota_media') }} as rating_text,
        {{ csv_value('numero_votos') }} as votes_text,
        try_cast({{ csv_value('ano_nascimento') }} as int) as birth_year,
        try_cast({{ csv_value('ano_falecimento') }} as int) as death_year,
        '{{ title_type }}' as title_type,
        _source_file as source_file,
        _source_line as source_line,
        _loaded_at as loaded_at,
        {{ bronze_load_date() }} as load_date
    from source
),

typed as (
    select
        *,
        try_cast(start_year_text as int) as start_year,
        try_cast(end_year_text as int) as end_year,
        try_cast(runtime_text as int) as runtime_minutes,
        try_cast(rating_text as decimal(4, 1)) as average_rating,
        try_cast(votes_text as bigint) as num_votes
    from cleaned
),

validated as (
    select
        *,
        case
            when title_id is null or not title_id rlike '^tt[0-9]{7,}$' then 'malformed_id'
            when (start_year_text is not null and start_year is null)
                or (end_year_text is not null and end_year is null)
                or (runtime_text is not null and runtime_minutes is null)
                or (rating_text is not null and average_rating is null)
                or (votes_text is not null and num_votes is null) then 'unparsable_number'
            when primary_title is null then 'missing_title'
            when start_year not between {{ var('min_release_year') }} and year(current_date()) + 10
                then 'year_out_of_range'
            when average_rating not between 0 and 10 then 'rating_out_of_range'
            when runtime_minutes < 1 then 'runtime_out_of_range'
        end as quarantine_reason
    from typed
)

select * from validated
{% endmacro %}
