"""What Spark did for each dbt node, from the Thrift server's monitoring REST API.

dbt starts every statement with its query comment, `/* {"app": "dbt", ..., "node_id": "..."} */`
(dbt's default). The Thrift server makes the statement the description of the Spark jobs it
runs, so each job names its node; a job's stages carry the executor metrics (run time, CPU
time, records read and written, shuffle, spill). The cost of a node is the sum over the
stages of its jobs submitted since the invocation began. A statement that runs no job (DDL,
a metadata query) costs nothing here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, fields

from cinelake.errors import CinelakeError

NODE_ID = re.compile(r'"node_id"\s*:\s*"([^"]+)"')
TIMEOUT_S = 30
NS_PER_MS = 1_000_000


@dataclass
class NodeCost:
    node_id: str
    spark_jobs: int = 0
    stages: int = 0
    tasks: int = 0
    executor_run_time_ms: int = 0
    executor_cpu_time_ms: int = 0
    rows_read: int = 0
    bytes_read: int = 0
    rows_written: int = 0
    bytes_written: int = 0
    shuffle_read_bytes: int = 0
    shuffle_write_bytes: int = 0
    memory_spilled_bytes: int = 0
    disk_spilled_bytes: int = 0


METRICS = tuple(f.name for f in fields(NodeCost) if f.name != "node_id")
# NodeCost field -> the stage field of Spark's REST API it sums (and a divisor)
STAGE_FIELDS = {
    "tasks": ("numCompleteTasks", 1),
    "executor_run_time_ms": ("executorRunTime", 1),
    "executor_cpu_time_ms": ("executorCpuTime", NS_PER_MS),
    "rows_read": ("inputRecords", 1),
    "bytes_read": ("inputBytes", 1),
    "rows_written": ("outputRecords", 1),
    "bytes_written": ("outputBytes", 1),
    "shuffle_read_bytes": ("shuffleReadBytes", 1),
    "shuffle_write_bytes": ("shuffleWriteBytes", 1),
    "memory_spilled_bytes": ("memoryBytesSpilled", 1),
    "disk_spilled_bytes": ("diskBytesSpilled", 1),
}


def spark_time(text: str | None) -> dt.datetime | None:
    """Spark's REST timestamps, e.g. 2026-11-23T01:50:00.123GMT."""
    if not text:
        return None
    return dt.datetime.strptime(text.replace("GMT", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")


def node_of(description: str | None) -> str | None:
    match = NODE_ID.search(description or "")
    return match.group(1) if match else None


def costs_by_node(
    jobs: Iterable[dict], stages: Iterable[dict], since: dt.datetime
) -> dict[str, NodeCost]:
    """Sum the stages of every job that names a dbt node and began at or after `since`."""
    stage_attempts: dict[int, list[dict]] = {}
    for stage in stages:
        stage_attempts.setdefault(stage["stageId"], []).append(stage)
    costs: dict[str, NodeCost] = {}
    for job in jobs:
        node_id = node_of(job.get("description")) or node_of(job.get("name"))
        submitted = spark_time(job.get("submissionTime"))
        if node_id is None or submitted is None or submitted < since:
            continue
        cost = costs.setdefault(node_id, NodeCost(node_id))
        cost.spark_jobs += 1
        for stage_id in job.get("stageIds", []):
            for attempt in stage_attempts.get(stage_id, []):
                if attempt.get("status") == "SKIPPED":
                    continue  # its shuffle output was reused: no work was done
                cost.stages += 1
                for name, (source, divisor) in STAGE_FIELDS.items():
                    value = int(attempt.get(source) or 0) // divisor
                    setattr(cost, name, getattr(cost, name) + value)
    return costs


def _get(host: str, port: int, path: str) -> list[dict]:
    url = f"http://{host}:{port}/api/v1/{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CinelakeError(
            f"the Spark UI of the Thrift server does not answer on {host}:{port} ({exc}): "
            "is the stack up (`cinelake up`) with this CINELAKE_SPARK_UI_PORT?"
        ) from None


def fetch_jobs_and_stages(host: str, ui_port: int) -> tuple[list[dict], list[dict]]:
    """Every job and stage the Thrift server's Spark application still remembers (its UI
    runs in the Thrift server's JVM: same host)."""
    apps = _get(host, ui_port, "applications")
    if not apps:
        raise CinelakeError(f"no Spark application on the UI port {ui_port}")
    app = apps[0]["id"]
    jobs = _get(host, ui_port, f"applications/{app}/jobs")
    return jobs, _get(host, ui_port, f"applications/{app}/stages")
