{#-
    Every line of the latest version of movies.csv, cleaned and cast, with the first rule it
    breaks (quarantine_reason, null when none): read by stg_csv__movies and
    quarantine_csv__movies. The rules (shared with the other title file): csv_title_lines.
-#}
{{ csv_title_lines(source('csv', 'movies'), 'movie') }}
