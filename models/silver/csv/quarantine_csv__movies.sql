{#- Lines of movies.csv that break a rule, with the first rule (reasons: _csv__models.yml). -#}
{{ csv_quarantine(ref('base_csv__movies')) }}
