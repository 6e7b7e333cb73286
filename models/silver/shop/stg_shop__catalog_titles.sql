{#- One row per title of the service catalog: its latest valid version (rules: shop_rules). -#}
with

versions as (
    select * from {{ ref('base_shop__catalog_titles') }}
),

current_versions as (
    {{ latest_valid_version('versions', 'catalog_title_id') }}
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
    from current_versions
)

select * from renamed
