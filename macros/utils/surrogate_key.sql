{#- A deterministic surrogate key: md5 of the text of the columns, nulls distinct from ''. -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('||'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as string), '_cinelake_null_')
    {%- endfor -%}
    ))
{%- endmacro %}
