{#- One row per distinct credit line of movies.csv (title x artist); see macros/csv_credits.sql. -#}
{{ csv_credits(source('csv', 'movies'), 'movie') }}
