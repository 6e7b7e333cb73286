{#-
    The one way an incremental model finds its work (silver staging and gold facts alike): the
    select of its rows (rows: the name of a CTE of the caller with every row the model would
    give on a full build) that, on an incremental run, keeps only the values of grain where
    a row differs between what the model gives now and what it holds (this); on a first build
    or a --full-refresh, every row. key: the unique key of a row; grain: what the model
    replaces, its partition column (insert_overwrite) or its key (merge). A full outer join on
    the key compares every column the model holds, null-safe, and yields the grain on both
    sides: a row moved to another partition empties the old one too, a row that left (a
    session that now breaks a rule) is found on the held side, and a row that the model now
    gives for any reason (a new version in bronze, a key it refers to that became known later,
    a customer version that landed late) on the new side. Exact by construction: the work is
    what a full build would change, and no watermark can miss a chain of lookups. The cost is
    one read of this and of the rows: a merge (grain = key) takes the changed rows straight
    from the join; a partition model takes every row of the partitions the join flags.
    Every column is compared but built_at, the stamp of the build that wrote the row: the rows
    written take the stamp of this run, and those of a flagged partition are all written.
    A column dropped from the model needs a --full-refresh (the compare names it), and so does
    a column added to a partitioned model (the compare stops with the command, for a column
    the YAML documents); a merged model appends it (on_schema_change) and writes every row
    in that run, so that no row keeps a null the compare cannot see.
    held: what the rows are compared with, the whole table by default; the daily run of a
    staging model (daily_recomputed_keys) gives the rows it recomputed and the held rows of
    the same keys (and, partitioned, of the same partitions), so both sides stay small.
-#}
{% macro changed_since_last_run(rows, key, grain, held=none) -%}
    {#- no held columns: nothing built to compare with (sqlfluff lints this branch) -#}
    {%- set held_columns = adapter.get_columns_in_relation(this) if is_incremental() else [] -%}
    {%- set columns = held_columns | map(attribute='name') | list -%}
    {%- if not columns -%}
        select * from {{ rows }}
    {%- else -%}
        {%- set same = ['now.' ~ key ~ ' <=> held.' ~ key] -%}
        {#- built_at (the built_at macro) says when a row was written, not what it holds -#}
        {%- for column in columns if column not in [key, 'built_at'] -%}
            {%- do same.append('now.' ~ column ~ ' <=> held.' ~ column) -%}
        {%- endfor -%}
        {#- the columns the model documents and its table does not hold yet (added to it) -#}
        {%- set unheld = [] -%}
        {%- for name in model.columns if name | lower not in columns | map('lower') -%}
            {%- do unheld.append(name) -%}
        {%- endfor -%}
        {%- if grain == key and unheld -%}
            {#- a merge that adds a column: the compare cannot see it (it compares the columns
                held), so every row is written, once, and the column holds its values from
                this run on (on_schema_change appends it before the merge), not nulls until
                some later run rewrites the row -#}
            {%- do log(this ~ ' holds no column ' ~ unheld | join(', ') ~ ', which '
                ~ model.name ~ ' now gives: every row is written', info=true) -%}
            select * from {{ rows }}
        {%- elif grain == key -%}
            {#- a merge: the changed rows themselves, in one read of the rows (no key leaves
                a merged model, so the held side alone has nothing to give) -#}
            select now.*
            from {{ rows }} as now
            left join {{ held or this }} as held
                on now.{{ key }} = held.{{ key }}
            where not ({{ same | join(' and ') }})
        {%- else -%}
            {#- a partition model: every row of each partition where a row differs, on either
                side (a row moved from d1 to d2 flags both), in one read of the rows: each
                compared pair is counted under its new and its old partition, and a window
                flags the partitions that hold a difference. A flagged partition left with no
                row (its rows moved away or left) gives a marker row: its grain,
                every other column null, which get_insert_overwrite_sql reads and never writes
                (on Delta with a unique_key only: elsewhere the dbt-spark statement would store
                it).
                Distinct: a key held twice (a partition that kept a moved row before this rule)
                pairs its new row twice, and the run heals it -#}
            {#- a column the model documents and its table does not hold: the marker (the held
                columns) and the rows would not match, and Spark would say so in a struct
                type mismatch; say what to do instead -#}
            {%- if unheld -%}
                {{ exceptions.raise_compiler_error(
                    this ~ ' holds no column ' ~ unheld | join(', ') ~ ', which ' ~ model.name
                    ~ ' now gives: rebuild it once with dbt build --full-refresh --select '
                    ~ model.name
                ) }}
            {%- endif -%}
            {#- the same condition as get_insert_overwrite_sql, which alone leaves markers out -#}
            {%- set markers_replaced = config.get('file_format') == 'delta'
                and config.get('unique_key') -%}
            {%- set marker = [] -%}
            {%- for column in held_columns -%}
                {%- do marker.append("'" ~ column.name ~ "', " ~ (
                    'flagged.grain_value' if column.name == grain
                    else 'cast(null as ' ~ column.data_type ~ ')'
                )) -%}
            {%- endfor -%}
            select distinct emitted.changed_row.*
            from (
                select
                    if(
                        flagged.position = 0,
                        flagged.changed_row,
                        named_struct({{ marker | join(', ') }})
                    ) as changed_row
                from (
                    select
                        compared.changed_row,
                        compared.now_key,
                        sides.position,
                        sides.grain_value,
                        max(compared.differs) over (
                            partition by sides.grain_value
                        ) as grain_changed,
                        max(sides.position = 0 and compared.now_key is not null) over (
                            partition by sides.grain_value
                        ) as grain_keeps_rows
                    from (
                        select
                            struct(now.*) as changed_row,
                            now.{{ key }} as now_key,
                            now.{{ grain }} as now_grain,
                            held.{{ grain }} as held_grain,
                            not ({{ same | join(' and ') }}) as differs
                        from {{ rows }} as now
                        full outer join {{ held or this }} as held
                            on now.{{ key }} = held.{{ key }}
                    ) as compared
                    lateral view posexplode(
                        array(compared.now_grain, compared.held_grain)
                    ) sides as position, grain_value
                ) as flagged
                where
                    flagged.grain_changed
                    and flagged.grain_value is not null
                    and (
                        (flagged.position = 0 and flagged.now_key is not null)
                        or (
                            flagged.position = 1
                            and not flagged.grain_keeps_rows
                            and {{ 'true' if markers_replaced else 'false' }}
                        )
                    )
            ) as emitted
        {%- endif -%}
    {%- endif %}
{%- endmacro %}
