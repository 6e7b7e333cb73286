{#- Lines of series.csv that break a rule, with the first rule they break (reason codes in _csv__models.yml). -#}
{{ csv_quarantine(source('csv', 'series'), 'series') }}
