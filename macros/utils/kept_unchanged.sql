{#-
    Whether the daily run keeps a model as it stands instead of rebuilding it, for a model that
    opts in with the config keep_unchanged (the table and incremental materializations ask,
    macros/materializations). A model is a function of its inputs: when none of them changed
    since it was built, a rebuild writes the rows it holds. So, on the daily run only
    (daily_since: never on a whole build, a first build, a --full-refresh, or for a model whose
    code or upstream code changed), the model is kept when each input is a Delta model whose
    data last changed before the model was last built, read from the Delta history of each
    (no row read). keep_unchanged: rows goes on where inputs changed and the model is a table:
    it reads the rows it would give, and keeps the table when they are the rows it holds (one
    read of the rows and of the table: the price of a rebuild, not of a rebuild and its
    downstream). Such a model commits nothing on most days, so what reads it is kept in turn.
    Exact as long as the model reads only its inputs: a model that reads the clock or the
    environment must not opt in.
-#}
{% macro kept_unchanged() -%}
    {%- set mode = config.get('keep_unchanged') -%}
    {%- if not execute or mode not in ['inputs', 'rows'] or daily_since() is none
        or config.get('file_format') != 'delta' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set built = last_data_change(this, built=true) -%}
    {%- if built is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set changed = inputs_changed_since(built) -%}
    {%- if not changed -%}
        {%- do log(model.name ~ ' kept: no input changed since it was built', info=true) -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if mode == 'rows' and config.get('materialized') == 'table'
        and model.language == 'sql' and rows_unchanged() -%}
        {%- do log(model.name ~ ' kept: ' ~ changed | join(', ')
            ~ ' changed, and it gives the rows it holds', info=true) -%}
        {{ return(true) }}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}

{#-
    What a materialization returns for a model that kept_unchanged keeps: no statement runs;
    the run result of the node says KEPT (dbt needs a main result), and its table stands.
-#}
{% macro kept_as_it_stands() -%}
    {%- call noop_statement('main', 'KEPT') -%}
        -- kept: {{ model.name }} gives the rows it holds
    {%- endcall -%}
    {{ return({'relations': [this]}) }}
{%- endmacro %}

{#-
    Whether the daily run passes a data test without reading its rows: when the last
    successful build checked the very rows it would read. That build started at
    CINELAKE_DAILY_SINCE and passed every test it ran; a model whose data has not changed
    since then holds the rows it, or a build before it, checked (the daily row tests assume
    the same: see built_since). So a test is kept on the daily run when its code did not change
    since that build (CINELAKE_DAILY_CHANGED_MODELS lists the changed tests too), each model it
    reads is a Delta model whose data last changed before that build started (a model kept by
    keep_unchanged, or not rebuilt since), and any failure fails it (severity error, the
    default thresholds: the build that checked it found none, no warning to repeat). A test
    that reads a source or a view always runs.
-#}
{% macro test_kept_unchanged() -%}
    {%- set since = env_var('CINELAKE_DAILY_SINCE', '') -%}
    {%- if not execute or not since
        or model.name in env_var('CINELAKE_DAILY_CHANGED_MODELS', '').split()
        or config.get('severity') | lower != 'error'
        or config.get('warn_if') | replace(' ', '') != '!=0'
        or config.get('error_if') | replace(' ', '') != '!=0'
        or inputs_changed_since(since) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- do log(model.name ~ ' kept: no model it reads changed since the last build checked it',
        info=true) -%}
    {{ return(true) }}
{%- endmacro %}

{#-
    The inputs of the model (or test) at hand whose data changed at or after since (a
    timestamp text, UTC as the Thrift sessions): each a model on Delta, judged by
    last_data_change; any other input (a source, a seed, a view, a table not on Delta) is
    listed as changed, as nothing says it is not.
-#}
{% macro inputs_changed_since(since) -%}
    {%- set changed = [] -%}
    {%- for unique_id in model.depends_on.nodes -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node is none or node.resource_type != 'model'
            or node.config.materialized not in ['table', 'incremental']
            or node.config.file_format != 'delta' -%}
            {%- do changed.append(unique_id) -%}
        {%- else -%}
            {%- set changed_at = last_data_change(api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias
            )) -%}
            {%- if changed_at is none or changed_at >= since -%}
                {%- do changed.append(node.name) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(changed) }}
{%- endmacro %}

{#-
    When the data of a Delta table last changed, as text (UTC, the session time zone of the
    stack): the time of its latest commit that is not one of the commits that leave the rows
    as they are (comments, properties, constraints, compaction, vacuum). built: the time the
    model was last built instead, the latest such commit being one a build writes; none when
    it is another (a restore, a delete by hand), and the model is rebuilt. A merge that
    changes no row commits nothing.
-#}
{% macro last_data_change(relation, built=false) -%}
    {%- set rows_kept = [
        'CHANGE COLUMN', 'CHANGE COLUMNS', 'SET TBLPROPERTIES', 'UNSET TBLPROPERTIES',
        'ADD CONSTRAINT', 'DROP CONSTRAINT', 'OPTIMIZE', 'VACUUM START', 'VACUUM END',
        'UPGRADE PROTOCOL'
    ] -%}
    {%- set builds = [
        'CREATE TABLE AS SELECT', 'CREATE OR REPLACE TABLE AS SELECT',
        'REPLACE TABLE AS SELECT', 'WRITE', 'MERGE'
    ] -%}
    {%- set history = run_query('describe history ' ~ relation ~ ' limit 50') -%}
    {%- for commit in history.rows if commit['operation'] not in rows_kept -%}
        {%- if loop.first -%}
            {{ return(
                commit['timestamp'] | string
                if not built or commit['operation'] in builds else none
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#-
    Whether the rows the model gives now (its compiled SQL) are the rows its table holds: one
    read of each, every row counted +1 on one side and -1 on the other, grouped by every
    column the table holds (null-safe, duplicates counted).
-#}
{% macro rows_unchanged() -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='quoted') | list -%}
    {%- set listed = columns | join(', ') -%}
    {%- set differing = run_query(
        'select 1 from (select ' ~ listed ~ ', 1 as side from (' ~ sql ~ ') as now'
        ~ ' union all select ' ~ listed ~ ', -1 as side from ' ~ this ~ ') as both_sides'
        ~ ' group by ' ~ listed ~ ' having sum(side) <> 0 limit 1'
    ) -%}
    {{ return(differing.rows | length == 0) }}
{%- endmacro %}
