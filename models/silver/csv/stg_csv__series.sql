{#- One row per distinct credit line of series.csv (title x artist); rules: base_csv__series. -#}
{{ csv_credits(ref('base_csv__series')) }}
