"""One row per node of a dbt invocation, read from dbt's target/run_results.json and manifest.json.

Only what describes the run is kept (ids, status, timings, counts): never the compiled SQL,
the node's config or dbt's `args` (which may hold `--vars`), so nothing secret reaches the
ops tables.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from cinelake.errors import CinelakeError

LAYERS = ("silver", "gold")
# dbt commands that run nodes; `docs generate` and `compile` also write run_results.json
BUILD_COMMANDS = ("build", "run", "test", "seed", "snapshot")


@dataclass(frozen=True)
class NodeRun:
    invocation_id: str
    invocation_started_at: dt.datetime
    node_id: str
    resource_type: str  # model, test, seed, unit_test, ...
    layer: str  # silver, gold, tests (every test), other
    materialized: str | None
    relation: str | None  # schema.table of a model or seed, else None
    status: str  # success, error, skipped, pass, fail, warn
    seconds: float
    rows_affected: int | None  # the adapter's count when it gives one (dbt-spark does not)
    failures: int | None  # failing rows of a test
    started_at: dt.datetime | None
    completed_at: dt.datetime | None


def _timestamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def _layer(node: dict) -> str:
    if node.get("resource_type") in ("test", "unit_test"):
        return "tests"
    fqn = node.get("fqn", [])
    return next((part for part in fqn[1:2] if part in LAYERS), "other")


def node_runs(run_results: dict, manifest: dict) -> list[NodeRun]:
    """The nodes of one invocation; its start is the first node's start (or generated_at)."""
    command = (run_results.get("args") or {}).get("which")
    if command not in BUILD_COMMANDS:
        raise CinelakeError(
            f"dbt's last run results are of `dbt {command}`, not of a build: record right "
            "after `dbt build` (scripts/pipeline.sh does)"
        )
    invocation_id = run_results["metadata"]["invocation_id"]
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    rows = []
    for result in run_results["results"]:
        node = nodes.get(result["unique_id"], {})
        timing = {t["name"]: t for t in result.get("timing", [])}
        first_step = timing.get("compile") or timing.get("execute") or {}
        started = _timestamp(first_step.get("started_at"))
        completed = _timestamp((timing.get("execute") or {}).get("completed_at"))
        resource_type = node.get("resource_type") or result["unique_id"].split(".", 1)[0]
        has_relation = resource_type in ("model", "seed", "snapshot")
        rows_affected = (result.get("adapter_response") or {}).get("rows_affected")
        rows.append(
            NodeRun(
                invocation_id=invocation_id,
                invocation_started_at=dt.datetime.min.replace(tzinfo=dt.UTC),  # set below
                node_id=result["unique_id"],
                resource_type=resource_type,
                layer=_layer(node),
                materialized=(node.get("config") or {}).get("materialized"),
                relation=f"{node['schema']}.{node['alias']}" if has_relation and node else None,
                status=str(result["status"]),
                seconds=float(result.get("execution_time") or 0.0),
                rows_affected=rows_affected if _is_count(rows_affected) else None,
                failures=result.get("failures"),
                started_at=started,
                completed_at=completed,
            )
        )
    starts = [r.started_at for r in rows if r.started_at]
    first = min(starts) if starts else _timestamp(run_results["metadata"]["generated_at"])
    return [_with_start(r, first) for r in rows]


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _with_start(row: NodeRun, started: dt.datetime | None) -> NodeRun:
    return replace(row, invocation_started_at=started or row.invocation_started_at)


def read_artifacts(target: Path) -> tuple[dict, dict]:
    """run_results.json and manifest.json of dbt's target folder, or a clear error."""
    try:
        return tuple(json.loads((target / name).read_text()) for name in
                     ("run_results.json", "manifest.json"))  # type: ignore[return-value]  # fmt: skip
    except (OSError, ValueError) as exc:
        raise CinelakeError(
            f"no readable dbt run results in {target} ({exc}): run `dbt build` first"
        ) from None
