"""`cinelake ingest`: run the dlt pipelines into bronze, with run metrics and alerts.

Each source has its own dlt pipeline (state under `$CINELAKE_HOME/dlt`) writing Parquet to
`<lake>/bronze/<source>/<table>/year=/month=/day=/` through dlt's filesystem destination. A run
extracts and normalizes everything first; only then is anything written to the lake, so a
failing source leaves no partial data (its pending package is dropped). Per source:

- csv  appends; content already loaded (same SHA-256) is skipped (see sources/csv_files/).
       A file whose rejected share trips the alarm (cinelake/ingest/reject_rate.py) fails
       the source.
- tmdb is a daily snapshot: the day's partitions of its tables are replaced, never doubled.
- shop and every database of databases.yml (`cinelake ingest <name>`) append what changed
       since the last run (incremental on each table's cursor, re-reading a lag window
       behind it so late-committed rows land); a table without a cursor is a daily snapshot
       like TMDB's (see sources/sql_tables/).

Every run writes a report (per source and table: rows in, landed, rejected, bytes, seconds,
status) to `$CINELAKE_HOME/runs/<run id>.json` and to the bronze table `ops/ingestion_runs`,
prints a summary, and posts a Slack-compatible alert to CINELAKE_ALERT_WEBHOOK when it failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dlt
import pendulum
import pyarrow as pa
import pyarrow.parquet as pq

from cinelake import lake
from cinelake.config import Settings
from cinelake.ingest import alerts, redaction, reject_rate
from cinelake.ingest.report import RunReport, TableMetrics
from cinelake.ingest.sources import csv_files, sql_tables, tmdb

log = logging.getLogger(__name__)

SOURCES = ("csv", "tmdb", "shop")
RUN_LOG_SOURCE, RUN_LOG_TABLE = "ops", "ingestion_runs"
# Arrow tables are written as they are; dlt's own lineage column is added to them too. Given to
# dlt in code around each source's extract and normalize (dlt reads it at extract), never set
# in the process's environment; NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID still overrides.
DLT_CONFIG = {"normalize.parquet_normalizer.add_dlt_load_id": True}


def _pipeline(settings: Settings, source: str, day: dt.date) -> dlt.Pipeline:
    now = dt.datetime.now(dt.UTC)
    moment = pendulum.datetime(day.year, day.month, day.day, now.hour, now.minute, now.second)
    destination = dlt.destinations.filesystem(
        bucket_url=lake.bronze_url(settings.lake_url),
        layout=lake.DLT_LAYOUT,
        current_datetime=moment,  # the partition day: today, or CINELAKE_LOAD_DATE
    )
    return dlt.pipeline(
        pipeline_name=f"cinelake_{source}",
        pipelines_dir=str(settings.home / "dlt"),
        destination=destination,
        dataset_name=source,
        progress="log" if settings.progress else None,
    )


KNOWN_ERRORS = (
    tmdb.TmdbError, sql_tables.DatabaseUnreachable, sql_tables.UnlandableColumn,
    csv_files.CsvFormatError, FileNotFoundError,
)  # fmt: skip


def _root_cause(exc: BaseException) -> BaseException:
    """dlt wraps a source's error several times: the first of ours in the chain, else the last."""
    chain = [exc]
    while len(chain) < 20:
        inner = (
            getattr(chain[-1], "exception", None) or chain[-1].__cause__ or chain[-1].__context__
        )
        if inner is None or inner in chain:
            break
        chain.append(inner)
    return next((e for e in chain if isinstance(e, KNOWN_ERRORS)), chain[-1])


def _landed_bytes(settings: Settings, source: str, table: str, day: dt.date, load_id: str) -> int:
    fs, path = lake.filesystem(
        f"{lake.bronze_url(settings.lake_url, source, table)}/{lake.partition(day)}"
    )
    if not fs.exists(path):
        return 0
    return sum(info["size"] for info in fs.ls(path, detail=True)
               if info["name"].rsplit("/", 1)[-1].startswith(load_id))  # fmt: skip


def _run_source(
    settings: Settings,
    source_name: str,
    build: Callable[
        [Mapping[str, Any]], tuple[object, Callable[[dict[str, int]], list[TableMetrics]]]
    ],
    day: dt.date,
    replace_day: bool = False,
) -> list[TableMetrics]:
    """Extract + normalize, then (for snapshots) clear the day, then load; return metrics."""
    began = time.monotonic()
    pipeline = _pipeline(settings, source_name, day)
    pipeline.abort_packages()  # never finish a previous failed run's package
    spark_dirs = lake.release_dataset_dir(settings.lake_url, source_name)
    try:
        source, to_metrics = build(pipeline.state)  # the state before this run
        with dlt.config.values(DLT_CONFIG):
            pipeline.extract(source, loader_file_format="parquet")
            normalize_info = pipeline.normalize()
        row_counts = {
            table: count
            for table, count in normalize_info.row_counts.items()
            if not table.startswith("_dlt")
        }
        if replace_day:
            for table in row_counts:
                removed = lake.remove_partition(settings.lake_url, source_name, table, day)
                if removed:
                    log.info("%s.%s: replaced %d file(s) of %s", source_name, table, removed, day)
        load_info = pipeline.load()
        load_id = load_info.loads_ids[-1] if load_info.loads_ids else ""
    except Exception:
        pipeline.abort_packages()
        raise
    finally:
        lake.restore_dirs(settings.lake_url, spark_dirs)
    metrics = to_metrics(row_counts)
    seconds = round(time.monotonic() - began, 2)
    for metric in metrics:
        metric.seconds = seconds
        if load_id and metric.status != "skipped":  # a tripped file did land its rows
            metric.bytes = _landed_bytes(settings, source_name, metric.table, day, load_id)
    return metrics


def _csv(settings: Settings, loaded_at: dt.datetime, _state: Mapping[str, Any]):
    counts: dict[str, csv_files.FileCounts] = {}
    paths = {"movies": settings.csv_movies_path, "series": settings.csv_series_path}
    for table, path in paths.items():
        if not path.is_file():
            raise FileNotFoundError(
                f"{table} CSV not found at {path}: run `cinelake demo-data` or set "
                f"CINELAKE_CSV_{table.upper()}"
            )
    source = csv_files.csv_files(
        movies_path=str(paths["movies"]), series_path=str(paths["series"]),
        loaded_at=loaded_at, counts=counts,
    )  # fmt: skip

    def to_metrics(row_counts: dict[str, int]) -> list[TableMetrics]:
        metrics = []
        for table, file_counts in counts.items():
            metric = TableMetrics("csv", table, file_counts.lines_in, file_counts.landed,
                                  file_counts.rejected)  # fmt: skip
            if file_counts.skipped:
                metric.status = "skipped"
                metric.detail = f"content {file_counts.sha256[:12]} already loaded"
            else:
                reasons = sorted(file_counts.reasons.items())
                metric.detail = ", ".join(f"{k}={v}" for k, v in reasons)
            _judge_reject_rate(metric, file_counts, settings.reject_rate_max)
            metrics.append(metric)
        landed = sum(c.landed for c in counts.values())
        if landed != sum(n for t, n in row_counts.items() if t != csv_files.REJECTS_TABLE):
            raise RuntimeError(f"CSV accounting: parsed {landed} rows, dlt wrote {row_counts}")
        return metrics

    return source, to_metrics


def _judge_reject_rate(
    metric: TableMetrics, file_counts: csv_files.FileCounts, rate_max: float
) -> None:
    """Fail the file's metric when its rejected share trips the alarm.

    The rows and rejects of a tripped file stay in bronze (the rejects are the evidence, and
    the rows are marked by their `_source_sha256`), and its checksum stays recorded, so the
    same content is never landed twice. The alarm is not lost with it: a re-run judges the
    skipped content by the counts the state kept, and fails again until the file is replaced
    (or CINELAKE_REJECT_RATE_MAX is raised above its share, a deliberate acceptance).
    """
    name = Path(file_counts.path).name
    if file_counts.skipped:
        before = file_counts.loaded_before
        if before is None or before.lines_in is None or before.rejected is None:
            return  # loaded before counts were kept: it passed the rules of its day
        rate = reject_rate.RejectRate(before.lines_in, before.rejected)
        where = f"was landed at {before.loaded_at} and is not landed again"
    else:
        rate = reject_rate.RejectRate(file_counts.lines_in, file_counts.rejected)
        where = (
            f"landed its {file_counts.landed:,} parsed rows and {file_counts.rejected:,} "
            "rejects in bronze and is not landed again"
        )
    if not rate.trips(rate_max):
        return
    metric.status = "failed"
    metric.detail = (
        f"{name}: {rate.describe(rate_max)}; content {file_counts.sha256[:12]} {where}; "
        "replace the file (csv/rejects holds the lines and reasons)"
    )


def _tmdb(settings: Settings, loaded_at: dt.datetime, _state: Mapping[str, Any]):
    source = tmdb.tmdb(
        base_url=settings.tmdb_base_url, access_token=settings.tmdb_token,
        genre_ids=list(settings.tmdb_genre_ids),
        language=settings.tmdb_language, max_pages=settings.tmdb_max_pages, extracted_at=loaded_at,
    )  # fmt: skip

    def to_metrics(row_counts: dict[str, int]) -> list[TableMetrics]:
        return [TableMetrics("tmdb", t, n, n) for t, n in sorted(row_counts.items())]

    return source, to_metrics


def databases(settings: Settings) -> dict[str, sql_tables.Database]:
    """The databases `cinelake ingest <name>` reads: those of CINELAKE_DATABASES_FILE, and the
    shop, whose tables are CINELAKE_SHOP_TABLES and lag window CINELAKE_SHOP_LAG_SECONDS."""
    configured = sql_tables.load_databases(settings.databases_file)
    shop = configured.get("shop", sql_tables.Database("shop"))
    configured["shop"] = dataclasses.replace(
        shop, tables=settings.shop_tables, lag_seconds=settings.shop_lag_s
    )
    return configured


def _database_url(settings: Settings, name: str) -> str:
    """The shop's URL is a setting; any other database's is the dlt secret
    `sources.<name>.credentials` (SOURCES__<NAME>__CREDENTIALS, or .dlt/secrets.toml)."""
    if name == "shop":
        return settings.shop_url
    url = dlt.secrets.get(f"sources.{name}.credentials")
    if not url:
        raise ValueError(
            f"no connection URL for {name}: set SOURCES__{name.upper()}__CREDENTIALS="
            "mysql+pymysql://user:password@host:port/database (or sources."
            f"{name}.credentials in .dlt/secrets.toml)"
        )
    return str(url)


def _database_parts(settings: Settings, name: str) -> list[tuple[Callable, bool]]:
    """A database's builders: its tables with a cursor (appended), then those without
    (snapshots replacing the load day), each loaded by its own `_run_source`."""
    database = databases(settings)[name]
    url = _database_url(settings, name)
    plans = sql_tables.plan(database, url)
    parts = []
    for replace_day in (False, True):
        chosen = [p for p in plans if (p.cursor is None) == replace_day]
        if chosen:
            build = functools.partial(_database, database=database, url=url, plans=chosen)
            parts.append((build, replace_day))
    return parts


def _database(
    settings: Settings,
    loaded_at: dt.datetime,
    state: Mapping[str, Any],
    *,
    database: sql_tables.Database,
    url: str,
    plans: list[sql_tables.TablePlan],
):
    in_window: dict[str, int] = {}
    zero_dates: dict[str, dict[str, int]] = {}
    source = sql_tables.sql_tables(
        database.name, url, plans, loaded_at=loaded_at, lag_s=database.lag_seconds,
        cursors=sql_tables.previous_cursors(state, database.name, plans),
        in_window=in_window, zero_dates=zero_dates,
    )  # fmt: skip

    def to_metrics(row_counts: dict[str, int]) -> list[TableMetrics]:
        metrics = []
        for plan in plans:
            table = sql_tables.bronze_name(plan.name)
            landed = row_counts.get(table, 0)
            window = in_window.get(plan.name, 0)
            metric = TableMetrics(database.name, table, landed, landed, rows_lag_window=window)
            details = []
            if plan.cursor and database.lag_seconds:
                details.append(
                    f"{landed - window:,} past the cursor, {window:,} from the "
                    f"{database.lag_seconds} s lag window (re-read, or late)"
                )
            for column, count in sorted(zero_dates.get(plan.name, {}).items()):
                zeros = f"{count:,} zero dates in {sql_tables.bronze_name(column)} landed as null"
                log.warning("%s.%s: %s", database.name, table, zeros)
                details.append(zeros)
            metric.detail = "; ".join(details)
            metrics.append(metric)
        return metrics

    return source, to_metrics


class _QuietArrowHintNotice(logging.Filter):
    """Drops dlt's per-table WARNING that arrow's column hints differ from the resource's.

    The shop's hints come from MySQL reflection and are the ones dlt keeps (DECIMAL precision,
    nullability that connectorx's arrow types do not carry); the data is unchanged and the
    message asks nothing of the user. Its per-column detail remains at INFO (`-v`).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "when merging arrow schema with dlt schema" not in record.getMessage()


def _quiet_dlt() -> None:
    dlt_log = logging.getLogger("dlt")
    if not any(isinstance(f, _QuietArrowHintNotice) for f in dlt_log.filters):
        dlt_log.addFilter(_QuietArrowHintNotice())


BUILDERS = {"csv": (_csv, False), "tmdb": (_tmdb, True)}


def _parts(settings: Settings, name: str) -> list[tuple[Callable, bool]]:
    """A source's builders and whether each replaces the load day."""
    return [BUILDERS[name]] if name in BUILDERS else _database_parts(settings, name)


def run(settings: Settings, sources: tuple[str, ...] = SOURCES) -> RunReport:
    """Ingest the given sources; a failing source does not stop the others."""
    _quiet_dlt()
    day = lake.load_date(settings.load_date)
    started = dt.datetime.now(dt.UTC)
    report = RunReport(
        run_id=f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
        load_date=day.isoformat(),
        lake_url=settings.lake_url,
        started_at=started.isoformat(),
    )
    for name in sources:
        log.info("ingesting %s into %s", name, lake.bronze_url(settings.lake_url, name))
        try:
            metrics = []
            for builder, replace_day in _parts(settings, name):
                metrics += _run_source(
                    settings,
                    name,
                    lambda state, b=builder: b(settings, started, state),
                    day,
                    replace_day,
                )
            report.tables += metrics
            # A table can fail without an exception (the reject-rate alarm): its source fails.
            failed = [m.detail for m in metrics if m.status == "failed"]
            if failed:
                report.errors[name] = "; ".join(failed)
        except Exception as exc:  # noqa: BLE001 - reported per source, run continues
            cause = _root_cause(exc)
            # Redacted here, once: the report, its table, the console and the alert reuse it.
            error = redaction.redact(f"{type(cause).__name__}: {cause}")
            report.errors[name] = error
            detail = redaction.redact(str(cause))[:500]
            report.tables.append(TableMetrics(name, "*", status="failed", detail=detail))
            log.debug("source %s failed", name, exc_info=True)
    report.finished_at = dt.datetime.now(dt.UTC).isoformat()
    report.status = "failed" if report.failed else "ok"
    _write_report(settings, report, day)
    if report.failed and settings.alert_webhook:
        alerts.post_failure(settings.alert_webhook, report)
    return report


RUN_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("load_date", pa.date32()), ("source", pa.string()),
    ("table_name", pa.string()), ("rows_in", pa.int64()), ("rows_landed", pa.int64()),
    ("rows_rejected", pa.int64()), ("bytes", pa.int64()), ("seconds", pa.float64()),
    ("status", pa.string()), ("detail", pa.string()),
    ("started_at", pa.timestamp("us", tz="UTC")), ("finished_at", pa.timestamp("us", tz="UTC")),
])  # fmt: skip


def _write_report(settings: Settings, report: RunReport, day: dt.date) -> None:
    settings.runs_dir.mkdir(parents=True, exist_ok=True)
    body = json.dumps(asdict(report), indent=2) + "\n"
    (settings.runs_dir / f"{report.run_id}.json").write_text(body)
    (settings.runs_dir / "latest.json").write_text(body)
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
    table = pa.Table.from_pylist(rows, schema=RUN_LOG_SCHEMA)
    url = (f"{lake.bronze_url(settings.lake_url, RUN_LOG_SOURCE, RUN_LOG_TABLE)}/"
           f"{lake.partition(day)}/{report.run_id}.parquet")  # fmt: skip
    fs, path = lake.filesystem(url)
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    with fs.open(path, "wb") as out:
        out.write(buffer.getvalue())


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
