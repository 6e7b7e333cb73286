"""`cinelake ops record` and `cinelake ops docs`: the run history of dbt builds, kept in Spark.

After `dbt build`, `record` reads dbt's run results, counts the rows of every table the build
wrote, collects the Spark cost of each node from the Thrift server's REST API, and merges both
into the Delta tables `ops.dbt_node_runs` and `ops.dbt_node_costs` (created by dbt's
on-run-start hook `create_ops_tables`), keyed by (invocation, node): recording the same build
twice changes nothing.

After `dbt docs generate`, `docs` completes the site: the row counts into catalog.json (dbt-spark
takes them from table statistics, which Delta tables do not have and Parquet tables only after
an ANALYZE: without this the catalog shows no or zero rows), and the overview's SVGs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from cinelake.config import Settings
from cinelake.errors import CinelakeError
from cinelake.ops import pictures, run_history, spark_cost
from cinelake.stack import sql_client

log = logging.getLogger(__name__)

RUNS, COSTS = "ops.dbt_node_runs", "ops.dbt_node_costs"
STAR_SCHEMA_SVG, PIPELINE_HEALTH_SVG = "overview_star_schema.svg", "overview_pipeline_health.svg"
TABLE_MATERIALIZATIONS = ("table", "incremental", "seed")
HEALTH_MART = "gold.ops_data_quality_daily"
BUILDS_SHOWN = 12
SLACK = dt.timedelta(seconds=5)  # Spark's and dbt's clocks are the same host's; a margin


def sql_literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"timestamp'{value.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M:%S.%f')}'"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def merge_statement(table: str, rows: Sequence[dict]) -> str:
    """One MERGE (one Delta commit) of `rows` keyed by (invocation_id, node_id)."""
    columns = list(rows[0])
    values = ",\n".join("(" + ", ".join(sql_literal(r[c]) for c in columns) + ")" for r in rows)
    return (
        f"merge into {table} as t using (select * from values\n{values}\n"
        f"as v({', '.join(columns)}))"
        " as s on t.invocation_id = s.invocation_id and t.node_id = s.node_id"
        " when matched then update set * when not matched then insert *"
    )


def table_rows(settings: Settings, relations: Sequence[str]) -> dict[str, int]:
    """Rows of each table (Delta answers from its log's file statistics, Parquet from
    footers), in one Thrift session: a session per table cost a second each."""
    results = sql_client.run_all(settings, [f"select count(*) from {r}" for r in relations])
    return {r: int(rows[0][0]) for r, (_, rows) in zip(relations, results, strict=True)}


def record(settings: Settings) -> list[dict]:
    """Record the last dbt invocation; return its cost rows, costliest first."""
    results, manifest = run_history.read_artifacts(settings.dbt_target_path)
    runs = run_history.node_runs(results, manifest)
    if not runs:
        raise CinelakeError("dbt's last invocation ran no node: nothing to record")
    invocation = runs[0].invocation_id
    built = [
        run.relation
        for run in runs
        if run.status == "success" and run.materialized in TABLE_MATERIALIZATIONS and run.relation
    ]
    log.info("ops: counting the rows of the %d tables the build wrote", len(built))
    counts = table_rows(settings, built)
    run_rows = [
        {**dataclasses.asdict(run), "table_rows": counts.get(run.relation or "")} for run in runs
    ]
    sql_client.run(settings, merge_statement(RUNS, run_rows))
    # The cost of the build's own jobs: those submitted since its first node began.
    log.info("ops: reading the build's Spark jobs from the Spark UI's REST API")
    jobs, stages = spark_cost.fetch_jobs_and_stages(settings.thrift_host, settings.spark_ui_port)
    since = runs[0].invocation_started_at - SLACK
    costs = spark_cost.costs_by_node(jobs, stages, since)
    cost_rows = [
        {"invocation_id": invocation,
         **dataclasses.asdict(costs.get(run.node_id, spark_cost.NodeCost(run.node_id)))}
        for run in runs
    ]  # fmt: skip
    sql_client.run(settings, merge_statement(COSTS, cost_rows))
    return sorted(cost_rows, key=lambda r: -r["executor_run_time_ms"])


def print_costliest(cost_rows: Sequence[dict], limit: int = 10) -> None:
    print(f"The {limit} costliest dbt nodes of this build (Spark executor time):")
    print(f"{'executor s':>10} {'cpu s':>8} {'rows read':>11} {'rows written':>12} "
          f"{'shuffle MB':>10} {'spill MB':>8}  node")  # fmt: skip
    for row in list(cost_rows)[:limit]:
        shuffle = (row["shuffle_read_bytes"] + row["shuffle_write_bytes"]) / 1e6
        spill = (row["memory_spilled_bytes"] + row["disk_spilled_bytes"]) / 1e6
        executor_s, cpu_s = row["executor_run_time_ms"] / 1000, row["executor_cpu_time_ms"] / 1000
        print(
            f"{executor_s:>10.1f} {cpu_s:>8.1f} "
            f"{row['rows_read']:>11} {row['rows_written']:>12} {shuffle:>10.1f} {spill:>8.1f}"
            f"  {row['node_id']}"
        )


def costliest(settings: Settings, limit: int = 10) -> list[dict]:
    """The cost rows of the newest recorded invocation, costliest first."""
    columns, rows = sql_client.run(
        settings,
        f"select c.* from {COSTS} c join (select invocation_id from {RUNS} "
        "order by invocation_started_at desc limit 1) l on c.invocation_id = l.invocation_id "
        f"order by c.executor_run_time_ms desc limit {int(limit)}",
    )
    return [dict(zip(columns, row, strict=True)) for row in rows]


def health_inputs(
    settings: Settings,
) -> tuple[list[pictures.DayRows], list[pictures.BuildSeconds]]:
    _, day_rows = sql_client.run(
        settings,
        "select load_date,"
        " coalesce(sum(case when outcome = 'landed' then row_total end), 0),"
        " coalesce(sum(case when outcome = 'rejected' then row_total end), 0),"
        " coalesce(sum(case when outcome = 'quarantined' then row_total end), 0)"
        f" from {HEALTH_MART} group by load_date order by load_date",
    )
    _, build_rows = sql_client.run(
        settings,
        "select r.invocation_started_at, r.layer, sum(r.seconds)"
        f" from {RUNS} r join (select distinct invocation_id, invocation_started_at from {RUNS}"
        f" order by invocation_started_at desc limit {BUILDS_SHOWN}) l"
        " on r.invocation_id = l.invocation_id group by 1, 2",
    )
    days = [  # the Thrift server answers dates and timestamps as text
        pictures.DayRows(dt.date.fromisoformat(str(day)), int(landed), int(rejected), int(held))
        for day, landed, rejected, held in day_rows
    ]
    builds = [
        pictures.BuildSeconds(_as_datetime(start), layer, float(seconds))
        for start, layer, seconds in build_rows
    ]
    return days, builds


def _as_datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def latest_table_rows(settings: Settings) -> dict[str, int]:
    """node id -> rows of its table at the newest recorded build that built it."""
    _, rows = sql_client.run(
        settings,
        "select node_id, max_by(table_rows, invocation_started_at)"
        f" from {RUNS} where table_rows is not null group by node_id",
    )
    return {node_id: int(count) for node_id, count in rows}


def with_row_counts(catalog: dict, counts: dict[str, int]) -> int:
    """Set the `rows` statistic of every catalog node with a recorded count; how many."""
    done = 0
    for node_id, entry in catalog.get("nodes", {}).items():
        if node_id in counts:
            entry.setdefault("stats", {})["rows"] = {
                "id": "rows",
                "label": "Rows",
                "value": counts[node_id],
                "include": True,
                "description": "Rows after the last recorded build (cinelake ops record)",
            }
            entry["stats"]["has_stats"] = {
                "id": "has_stats", "label": "Has Stats?", "value": True,
                "include": False, "description": "Indicates whether there are statistics",
            }  # fmt: skip
            done += 1
    return done


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise CinelakeError(f"cannot read {path} ({exc}): run `dbt docs generate`") from None


def complete_docs(settings: Settings) -> list[str]:
    """Row counts into catalog.json and the overview SVGs, in dbt's target folder (what
    `cinelake docs` serves)."""
    target = settings.dbt_target_path
    manifest = _read_json(target / "manifest.json")
    catalog = _read_json(target / "catalog.json")
    counted = with_row_counts(catalog, latest_table_rows(settings))
    (target / "catalog.json").write_text(json.dumps(catalog))
    written = {
        STAR_SCHEMA_SVG: pictures.star_schema_svg(manifest),
        PIPELINE_HEALTH_SVG: pictures.pipeline_health_svg(*health_inputs(settings)),
    }
    for name, svg in written.items():
        (target / name).write_text(svg)
    return [f"row counts of {counted} tables into {target / 'catalog.json'}"] + [
        f"{target / name}" for name in written
    ]
