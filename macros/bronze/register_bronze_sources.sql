{#-
    Registers every source table of schema bronze (read from the graph, so wherever its YAML
    is: models/silver/<source>/_<source>__sources.yml) as an external Parquet table over
    <lake>/bronze/<source>/<table>, partitioned by the year/month/day directories of the load date.
    Runs on-run-start (dbt_project.yml), so every build sees the partitions landed since the
    last one. Per table:
      1. create it from the declared columns if it does not exist (works before any data);
      2. recover partitions (new load days) and refresh the file listing of Spark;
      3. when the files of the newest load day carry columns the table lacks (a column added at
         the source shows up in the newest load first), drop and re-create the table from the
         merged schema of all its files, and say so in the log. Only the files of that day are
         probed: reading the footers of the whole history on every run grows with it.
    Dropping an external table never deletes its files. Skip with --vars '{register_bronze: false}'.
-#}
{% macro register_bronze_sources() %}
    {%- if not execute or not var('register_bronze', true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set lake = bronze_lake_root() -%}
    {%- set started = modules.datetime.datetime.now() -%}
    {%- set nodes = graph.sources.values() | selectattr('schema', 'equalto', 'bronze') | list -%}
    {{ log('bronze: registering ' ~ nodes | length ~ ' tables over ' ~ lake ~ '/bronze (create'
           ~ ' if missing, recover new load days, refresh file listings; about 1-2 s a table)'
           ~ ' ...', info=true) }}
    {%- do run_query('create schema if not exists bronze') -%}
    {%- for node in nodes -%}
        {%- set table = 'bronze.' ~ node.identifier -%}
        {%- set location = lake ~ '/bronze/' ~ node.source_name ~ '/' ~ node.name -%}
        {%- set columns = [] -%}
        {%- for column in node.columns.values() if column.name not in ('year', 'month', 'day') -%}
            {%- do columns.append(column.name ~ ' ' ~ column.data_type) -%}
        {%- endfor -%}
        {%- do run_query(
            'create table if not exists ' ~ table ~ ' (' ~ columns | join(', ')
            ~ ', year int, month int, day int) using parquet partitioned by (year, month, day)'
            ~ " location '" ~ location ~ "'"
        ) -%}
        {%- do run_query('alter table ' ~ table ~ ' recover partitions') -%}
        {%- set partitions = run_query('show partitions ' ~ table).columns[0].values() -%}
        {%- if partitions | length > 0 -%}
            {#- 'year=2026/month=9/day=5' -> (2026, 9, 5); its directory is zero-padded
                (the load-date layout of cinelake/lake.py) -#}
            {%- set days = [] -%}
            {%- for partition in partitions -%}
                {%- set values = [] -%}
                {%- for part in partition.split('/') -%}
                    {%- do values.append(part.split('=')[1] | int) -%}
                {%- endfor -%}
                {%- do days.append(values) -%}
            {%- endfor -%}
            {%- set newest = days | max -%}
            {%- set newest_day = location ~ '/year=%04d/month=%02d/day=%02d' | format(*newest) -%}
            {%- do run_query(
                'create or replace temporary view cinelake_bronze_probe using parquet'
                ~ " options (path '" ~ newest_day ~ "', mergeSchema 'true')"
            ) -%}
            {%- set in_files = run_query('describe cinelake_bronze_probe').columns[0].values() -%}
            {%- set in_table = run_query('describe ' ~ table).columns[0].values() -%}
            {%- set gained = [] -%}
            {%- for name in in_files if name not in in_table and not name.startswith('#') -%}
                {%- do gained.append(name) -%}
            {%- endfor -%}
            {%- if gained -%}
                {{ log('bronze: ' ~ table ~ ' gained ' ~ gained | join(', ')
                       ~ ' in its files: re-created from them (declare the new columns in'
                       ~ ' _' ~ node.source_name ~ '__sources.yml)', info=true) }}
                {%- do run_query('drop table ' ~ table) -%}
                {%- do run_query(
                    'create table ' ~ table ~ " using parquet options (mergeSchema 'true')"
                    ~ " location '" ~ location ~ "'"
                ) -%}
                {%- do run_query('alter table ' ~ table ~ ' recover partitions') -%}
            {%- endif -%}
        {%- endif -%}
        {%- do run_query('refresh table ' ~ table) -%}
    {%- endfor -%}
    {%- set seconds = (modules.datetime.datetime.now() - started).total_seconds() -%}
    {{ log('bronze: registered ' ~ nodes | length ~ ' tables in %.1f s' | format(seconds),
           info=true) }}
{% endmacro %}
