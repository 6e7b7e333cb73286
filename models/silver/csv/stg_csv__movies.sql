{#- One row per distinct credit line of movies.csv (title x artist); rules: base_csv__movies. -#}
{{ csv_credits(ref('base_csv__movies')) }}
