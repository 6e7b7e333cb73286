{#-
    Every line of the latest version of series.csv, cleaned and cast, with the first rule it
    breaks (quarantine_reason, null when none): read by stg_csv__series and
    quarantine_csv__series. The rules (shared with the other title file): csv_title_lines.
-#}
{{ csv_title_lines(source('csv', 'series'), 'series') }}
