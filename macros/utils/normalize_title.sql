{#-
    The key titles are matched on across sources: lower case, accents folded (á -> a, ç -> c),
    every run of characters other than letters and digits one space, trimmed.
    "O Exorcista: Parte II" and "o exorcista parte ii" give the same key.
-#}
{% macro normalize_title(column) -%}
    trim(regexp_replace(
        translate(lower({{ column }}), 'áàâãäåéèêëíìîïóòôõöøúùûüçñýÿ', 'aaaaaaeeeeiiiioooooouuuucnyy'),
        '[^a-z0-9]+', ' '
    ))
{%- endmacro %}
