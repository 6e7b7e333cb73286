{#- One row per distinct credit line of series.csv (title x artist); see macros/silver/csv_credits.sql. -#}
{{ csv_credits(source('csv', 'series'), 'series') }}
