{#-
    Registers every source table of schema bronze (read from the graph, so wherever its YAML
    is: models/silver/<source>/_<source>__sources.yml) over <lake>/bronze/<source>/<table>, a
    Delta table that ingestion (dlt) writes; Spark only reads it. Runs on-run-start
    (dbt_project.yml) and does as little as it safely can:
      - one show table extended lists what is registered; a table registered as Delta at its
        location needs nothing more: Delta reads the commit log of the table on every query, so new
        loads, new columns and replaced days are seen without any refresh;
      - a table not landed yet is registered as an empty placeholder from its declared columns
        (a Parquet table over the same location, so that models build before the first
        ingestion);
      - a placeholder whose location now holds a Delta commit log (describe detail says
        delta) is dropped and registered as the Delta table: once per table.
    Dropping an external table never deletes its files. Skip with --vars '{register_bronze: false}'.
-#}
{% macro register_bronze_sources() %}
    {%- if not execute or not var('register_bronze', true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set lake = bronze_lake_root() -%}
    {%- set started = modules.datetime.datetime.now() -%}
    {%- set nodes = graph.sources.values() | selectattr('schema', 'equalto', 'bronze') | list -%}
    {%- do run_query('create schema if not exists bronze') -%}
    {#- name -> (provider, location) of what is registered in schema bronze -#}
    {%- set registered = {} -%}
    {%- for row in run_query("show table extended in bronze like '*'") -%}
        {%- set info = {} -%}
        {%- for line in row[3].split('\n') if ': ' in line -%}
            {%- do info.update({line.split(': ', 1)[0]: line.split(': ', 1)[1]}) -%}
        {%- endfor -%}
        {%- do registered.update({row[1]: (info.get('Provider', '') | lower,
                                           info.get('Location', '') | replace('file:', ''))}) -%}
    {%- endfor -%}
    {%- set changed = [] -%}
    {%- for node in nodes -%}
        {%- set name = node.identifier | lower -%}
        {%- set table = 'bronze.' ~ node.identifier -%}
        {%- set location = lake ~ '/bronze/' ~ node.source_name ~ '/' ~ node.name -%}
        {%- set current = registered.get(name) -%}
        {%- set wanted = location.replace('file:', '').rstrip('/') -%}
        {%- set at_location = current and current[1].rstrip('/') == wanted -%}
        {%- if current and current[0] == 'delta' and at_location -%}
            {#- registered: nothing to do -#}
        {%- else -%}
            {%- if current and not at_location -%}
                {%- do run_query('drop table if exists ' ~ table) -%}
                {%- set current = none -%}
            {%- endif -%}
            {%- if not current -%}
                {%- set columns = [] -%}
                {%- set partitions = bronze_partition_columns() -%}
                {%- for column in node.columns.values() if column.name not in partitions -%}
                    {%- do columns.append(column.name ~ ' ' ~ column.data_type) -%}
                {%- endfor -%}
                {%- for partition in partitions -%}
                    {%- do columns.append(partition ~ ' int') -%}
                {%- endfor -%}
                {%- do run_query(
                    'create table ' ~ table ~ ' (' ~ columns | join(', ') ~ ') using parquet'
                    ~ " location '" ~ location ~ "'"
                ) -%}
            {%- endif -%}
            {%- set detail = run_query('describe detail ' ~ table) -%}
            {%- if detail.columns['format'].values()[0] == 'delta' -%}
                {%- do run_query('drop table ' ~ table) -%}
                {%- do run_query(
                    'create table ' ~ table ~ " using delta location '" ~ location ~ "'"
                ) -%}
                {%- do changed.append(table ~ ' (delta)') -%}
            {%- elif not current -%}
                {%- do changed.append(table ~ ' (not landed yet: empty placeholder)') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set seconds = (modules.datetime.datetime.now() - started).total_seconds() -%}
    {{ log('bronze: ' ~ nodes | length ~ ' tables over ' ~ lake ~ '/bronze checked in %.1f s'
           | format(seconds) ~ ('; registered ' ~ changed | join(', ') if changed else ''),
           info=true) }}
{% endmacro %}
