"""The report of an ingestion run: per source and table, rows in, landed, rejected, bytes,
seconds and status. `pipelines` fills it in and `write`s it: to the bronze Delta table
`ops/ingestion_runs` (the run log) and to `$CINELAKE_HOME/runs/<run id>.json`; `summary` is its
console table, and `alerts` reads it."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass, field

import pyarrow as pa

from cinelake import lake
from cinelake.config import Settings
from cinelake.errors import printable
from cinelake.ingest import redaction

log = logging.getLogger(__name__)

RUN_LOG_SOURCE, RUN_LOG_TABLE = "ops", "ingestion_runs"
RUN_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("load_date", pa.date32()), ("source", pa.string()),
    ("table_name", pa.string()), ("rows_in", pa.int64()), ("rows_landed", pa.int64()),
    ("rows_rejected", pa.int64()), ("bytes", pa.int64()), ("seconds", pa.float64()),
    ("status", pa.string()), ("detail", pa.string()),
    ("started_at", pa.timestamp("us", tz="UTC")), ("finished_at", pa.timestamp("us", tz="UTC")),
])  # fmt: skip


@dataclass
class TableMetrics:
    source: str
    table: str
    rows_in: int = 0
    rows_landed: int = 0
    rows_rejected: int = 0
    # Of rows_landed, those at or before the previous run's cursor (shop's lag window): mostly
    # rows read and appended again, plus any late row landing for the first time (telling them
    # apart would mean reading bronze). Rows past the cursor = landed - lag window.
    rows_lag_window: int = 0
    bytes: int = 0
    seconds: float = 0.0
    status: str = "ok"  # ok | skipped | failed
    detail: str = ""


@dataclass
class RunReport:
    run_id: str
    load_date: str
    lake_url: str
    started_at: str
    finished_at: str = ""
    status: str = "running"
    errors: dict[str, str] = field(default_factory=dict)
    tables: list[TableMetrics] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def write(settings: Settings, report: RunReport, day: dt.date) -> None:
    """The run log's rows in the lake (ops/ingestion_runs), then the report in the state
    folder. A run log that cannot be written (the lake's disk is full, say) fails the run
    with one error, and the report (on the state's disk) still says what happened."""
    report.status = "failed" if report.failed else "ok"
    try:
        _append_run_log(settings, report, day)
    except Exception as exc:  # noqa: BLE001 - the run's outcome is reported all the same
        error = printable(redaction.redact(f"{type(exc).__name__}: {exc}"))[:500]
        report.errors[f"{RUN_LOG_SOURCE}/{RUN_LOG_TABLE}"] = f"run not recorded: {error}"
        report.status = "failed"
        log.debug("the run log could not be written", exc_info=True)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    body = json.dumps(asdict(report), indent=2) + "\n"
    (settings.reports_dir / f"{report.run_id}.json").write_text(body)
    (settings.reports_dir / "latest.json").write_text(body)


def _append_run_log(settings: Settings, report: RunReport, day: dt.date) -> None:
    started = dt.datetime.fromisoformat(report.started_at)
    finished = dt.datetime.fromisoformat(report.finished_at)
    rows = [
        {
            "run_id": report.run_id, "load_date": day, "source": m.source, "table_name": m.table,
            "rows_in": m.rows_in, "rows_landed": m.rows_landed, "rows_rejected": m.rows_rejected,
            "bytes": m.bytes, "seconds": m.seconds, "status": m.status, "detail": m.detail,
            "started_at": started, "finished_at": finished,
        }
        for m in report.tables
    ]  # fmt: skip
    table = lake.stamp(pa.Table.from_pylist(rows, schema=RUN_LOG_SCHEMA), day)
    # One commit: a run killed before it leaves no row, never half a report.
    lake.append(lake.bronze_url(settings.lake_url, RUN_LOG_SOURCE, RUN_LOG_TABLE), table)


def summary(report: RunReport) -> str:
    """The run as a fixed-width table for the console."""
    header = f"{'source':<6} {'table':<18} {'rows in':>10} {'landed':>10} {'rejected':>9} " \
             f"{'bytes':>12} {'secs':>7}  status"  # fmt: skip
    lines = [header, "-" * len(header)]
    for m in report.tables:
        lines.append(
            f"{m.source:<6} {m.table:<18} {m.rows_in:>10,} {m.rows_landed:>10,} "
            f"{m.rows_rejected:>9,} {m.bytes:>12,} {m.seconds:>7.1f}  {m.status}"
            + (f" ({m.detail})" if m.detail else "")
        )
    lines.append(f"run {report.run_id}: {report.status}, load date {report.load_date}, "
                 f"lake {report.lake_url}")  # fmt: skip
    return "\n".join(lines)
