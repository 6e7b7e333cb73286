{#- One row per title of the service's catalog: its current version. -#}
with

source as (
    {{ latest_version(source('shop', 'catalog_titles'), 'catalog_title_id') }}
),

renamed as (
    select
        catalog_title_id,
        nullif(trim(imdb_id), '') as imdb_id,
        tmdb_id,
        trim(service_title) as service_title,
        {{ normalize_title('service_title') }} as title_match_key,
        title_type,
        cast(release_year as int) as release_year,
        cast(runtime_minutes as int) as runtime_minutes,
        source_row_count,
        is_available = 1 as is_available,
        added_at,
        updated_at
    from source
)

select * from renamed
