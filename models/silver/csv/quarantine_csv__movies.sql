{#- Lines of movies.csv that break a rule, with the first rule (reasons: _csv__models.yml). -#}
{{ csv_quarantine(source('csv', 'movies'), 'movie') }}
