"""`cinelake ingest`: run the dlt pipelines into bronze, with run metrics and alerts.

Each source has its own dlt pipeline (state under `$CINELAKE_HOME/dlt`) landing each table as a
Delta table `<lake>/bronze/<source>/<table>/`, partitioned by the load date (see
cinelake/ingest/bronze.py: one atomic, exactly-once commit per table per load). A run extracts
and normalizes a source first; only then is anything written to the lake. Per source:

- csv  appends; content already loaded (same SHA-256) is skipped (see sources/csv_files/).
       A file whose rejected share trips the alarm (cinelake/ingest/reject_rate.py), or that
       cannot be read at all (missing, empty, not a movies/series file), fails its table and
       the source; the other file still lands.
- tmdb is a daily snapshot: each load replaces the load day's partition, in one commit.
- shop and every database of databases.yml (`cinelake ingest <name>`) append what changed
       since the last run (incremental on each table's cursor, re-reading a lag window
       behind it so late-committed rows land); a table without a cursor is a daily snapshot
       like TMDB's (see sources/sql_tables/).

Crash safety. dlt commits a source's state (the CSV checksums, the shop cursors) with the load
package it extracted, so a package must be landed exactly once, never dropped and re-extracted
(some of its tables may already be committed). A run killed at any point leaves the package
pending; the next run of that source first finishes it (`finish_pending`: normalize if needed,
then load; tables already committed are skipped by their Delta txn marker), then extracts anew
from the state the package carried. A failure while extracting or normalizing drops the new
package (nothing of it reached the lake); a failure while loading keeps it for the next run.

Every run writes a report (per source and table: rows in, landed, rejected, bytes, seconds,
status) to `$CINELAKE_HOME/runs/<run id>.json` and to the bronze Delta table
`ops/ingestion_runs`, prints a summary, and posts a Slack-compatible alert to
CINELAKE_ALERT_WEBHOOK when it failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.parquet as pq

from cinelake import lake
from cinelake.config import Settings
from cinelake.errors import printable
from cinelake.ingest import alerts, bronze, crash, redaction, reject_rate, rust_panics
from cinelake.ingest.report import RunReport, TableMetrics
from cinelake.ingest.sources import csv_files, sql_tables, tmdb

log = logging.getLogger(__name__)

SOURCES = ("csv", "tmdb", "shop")
RUN_LOG_SOURCE, RUN_LOG_TABLE = "ops", "ingestion_runs"
# Arrow tables are written as they are; dlt's own lineage column is added to them too. Given to
# dlt in code around each source's extract and normalize (dlt reads it at extract), never set
# in the process's environment; NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID still overrides.
DLT_CONFIG = {"normalize.parquet_normalizer.add_dlt_load_id": True}


def _pipeline(settings: Settings, source: str) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=f"cinelake_{source}",
        pipelines_dir=str(settings.home / "dlt"),
        destination=bronze.destination(settings.lake_url),
        dataset_name=source,
        progress="log" if settings.progress else None,
    )


KNOWN_ERRORS = (
    tmdb.TmdbError, sql_tables.DatabaseUnreachable, sql_tables.UnlandableColumn,
    csv_files.CsvFormatError, FileNotFoundError,
)  # fmt: skip


def _chain(exc: BaseException) -> list[BaseException]:
    """An exception and those it wraps (dlt's own `exception` attribute, then Python's)."""
    chain = [exc]
    while len(chain) < 20:
        last = chain[-1]
        inner = (
            getattr(last, "exception", None)
            or getattr(last, "client_exception", None)
            or last.__cause__
            or last.__context__
        )
        if inner is None or inner in chain:
            break
        chain.append(inner)
    return chain


def _root_cause(exc: BaseException) -> BaseException:
    """dlt wraps a source's error several times: the first of ours in the chain, else the last."""
    chain = _chain(exc)
    return next((e for e in chain if isinstance(e, KNOWN_ERRORS)), chain[-1])


def _failed_table(exc: BaseException) -> str:
    """The table whose load job failed (dlt's job id starts with it), else "*"."""
    job_id = next((e.job_id for e in _chain(exc) if isinstance(getattr(e, "job_id", None), str)),
                  "")  # fmt: skip
    return job_id.split(".", 1)[0] or "*"


def _landed_bytes(settings: Settings, source: str, table: str, load_id: str) -> int:
    return lake.committed_bytes(lake.bronze_url(settings.lake_url, source, table), load_id)


def finish_pending(pipeline: dlt.Pipeline, settings: Settings) -> list[TableMetrics]:
    """Land the package an interrupted run left (extracted, normalized or half loaded).

    Tables whose commit was made are skipped by BronzeDeltaJob (their txn marker), the others
    committed. The local state is then brought up to the package's: a kill between dlt's
    commit of an extracted package and its save of the state leaves the state one step behind,
    and extracting from it would read the package's data again. Returns the package's tables
    (rows and bytes landed by it, whichever run committed them), for the run report.
    """
    if not pipeline.has_pending_data:
        return []
    pending = [*pipeline.list_extracted_load_packages(), *pipeline.list_normalized_load_packages()]
    log.warning("%s: finishing the package(s) %s of an interrupted run",
                pipeline.dataset_name, ", ".join(pending))  # fmt: skip
    began = time.monotonic()
    with dlt.config.values(DLT_CONFIG):
        pipeline.normalize()
    load_info = pipeline.load()
    pipeline.sync_destination()  # restores the package's state when it is newer than ours
    metrics = []
    for load_id in load_info.loads_ids if load_info else []:
        detail = f"finished package {load_id} of an interrupted run"
        for table, rows in sorted(_package_rows(pipeline, load_id).items()):
            metric = TableMetrics(pipeline.dataset_name, table, rows, rows, detail=detail)
            metric.bytes = _landed_bytes(settings, pipeline.dataset_name, table, load_id)
            metric.seconds = round(time.monotonic() - began, 2)
            metrics.append(metric)
    return metrics


def _package_rows(pipeline: dlt.Pipeline, load_id: str) -> dict[str, int]:
    """Rows per table in a loaded package's data files."""
    rows: dict[str, int] = {}
    for job in pipeline.get_load_package_info(load_id).jobs.get("completed_jobs", []):
        table, file_format = job.job_file_info.table_name, job.job_file_info.file_format
        if not table.startswith("_dlt") and file_format == "parquet":
            rows[table] = rows.get(table, 0) + pq.ParquetFile(job.file_path).metadata.num_rows
    return rows


def _run_source(
    settings: Settings,
    source_name: str,
    build: Callable[
        [Mapping[str, Any]], tuple[object, Callable[[dict[str, int]], list[TableMetrics]]]
    ],
    day: dt.date,
    day_snapshot: bool = False,
) -> list[TableMetrics]:
    """Finish an interrupted run's package, then extract + normalize + load; return metrics."""
    began = time.monotonic()
    pipeline = _pipeline(settings, source_name)
    spark_dirs = lake.release_dataset_dir(settings.lake_url, source_name)
    try:
        recovered = finish_pending(pipeline, settings)  # raises (the source fails) when it cannot
        source, to_metrics = build(pipeline.state)  # the state after every landed package
        try:
            bronze.prepare(source, day, day_snapshot)
            _crash_after_first_item(settings, source, source_name)
            with dlt.config.values(DLT_CONFIG):
                pipeline.extract(source, loader_file_format="parquet")
                if settings.crash_at == f"normalize:{source_name}":
                    crash.point(settings.crash_at)
                normalize_info = pipeline.normalize()
        except Exception:
            pipeline.abort_packages()  # nothing of this package reached the lake: drop it
            raise
        # A load failure keeps the package (some tables may be committed): the next run
        # finishes it.
        load_info = pipeline.load()
    finally:
        lake.restore_dirs(settings.lake_url, spark_dirs)
    row_counts = {
        table: count
        for table, count in normalize_info.row_counts.items()
        if not table.startswith("_dlt")
    }
    load_id = load_info.loads_ids[-1] if load_info.loads_ids else ""
    metrics = to_metrics(row_counts)
    seconds = round(time.monotonic() - began, 2)
    for metric in metrics:
        metric.seconds = seconds
        if load_id and metric.status != "skipped":  # a tripped file did land its rows
            metric.bytes = _landed_bytes(settings, source_name, metric.table, load_id)
    return _merge(recovered, metrics)


def _merge(recovered: list[TableMetrics], metrics: list[TableMetrics]) -> list[TableMetrics]:
    """One row per table and run: a table of a finished interrupted package adds its rows and
    bytes to this run's row of the same table (and says so), or keeps its own row."""
    by_table = {metric.table: metric for metric in metrics}
    merged = list(metrics)
    for extra in recovered:
        metric = by_table.get(extra.table)
        if metric is None:
            merged.append(extra)
            continue
        metric.rows_in += extra.rows_in
        metric.rows_landed += extra.rows_landed
        metric.bytes += extra.bytes
        metric.detail = "; ".join(d for d in (metric.detail, extra.detail) if d)
    return merged


def _crash_after_first_item(settings: Settings, source: Any, source_name: str) -> None:
    """With CINELAKE_CRASH_AT=extract:<source>, die mid-extraction, after the first item."""
    if settings.crash_at == f"extract:{source_name}":
        first = next(iter(source.resources.values()))
        first.add_map(lambda item: (crash.point(settings.crash_at), item)[1])


def _csv(settings: Settings, loaded_at: dt.datetime, _state: Mapping[str, Any]):
    counts: dict[str, csv_files.FileCounts] = {}
    paths = {"movies": settings.csv_movies_path, "series": settings.csv_series_path}
    source = csv_files.csv_files(
        movies_path=str(paths["movies"]), series_path=str(paths["series"]),
        loaded_at=loaded_at, counts=counts,
    )  # fmt: skip

    def to_metrics(row_counts: dict[str, int]) -> list[TableMetrics]:
        metrics = []
        for table, file_counts in counts.items():
            metric = TableMetrics("csv", table, file_counts.lines_in, file_counts.landed,
                                  file_counts.rejected)  # fmt: skip
            if file_counts.error:  # nothing of it was read; the other file is not held back
                metric.status = "failed"
                metric.detail = file_counts.error
                if not paths[table].is_file():
                    metric.detail += (
                        f": run `cinelake demo-data` or set CINELAKE_CSV_{table.upper()}"
                    )
                metrics.append(metric)
                continue
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


def _database_parts(
    settings: Settings, name: str, since: dt.datetime | None = None
) -> list[tuple[Callable, bool]]:
    """A database's builders: its tables with a cursor (appended, re-reading their lag window
    or back to `since`), then those without (snapshots replacing the load day), each loaded
    by its own `_run_source`."""
    database = databases(settings)[name]
    url = settings.database_url(name)
    plans = sql_tables.plan(database, url)
    _refuse_reserved_columns(name, plans)
    parts = []
    for day_snapshot in (False, True):
        chosen = [p for p in plans if (p.cursor is None) == day_snapshot]
        if chosen:
            build = functools.partial(
                _database, database=database, url=url, plans=chosen, since=since
            )
            parts.append((build, day_snapshot))
    return parts


def _refuse_reserved_columns(name: str, plans: list[sql_tables.TablePlan]) -> None:
    """Fail the database, before anything is read, when a table has a column that bronze's own
    would overwrite or double (lake.RESERVED_COLUMNS): its values would be lost."""
    clashes = [
        f"{plan.name}.{column}"
        for plan in plans
        for column in lake.reserved_collisions([c.name for c in plan.columns])
    ]
    if clashes:
        raise sql_tables.UnlandableColumn(
            f"{name}: {', '.join(clashes)} would collide with bronze's own columns "
            f"({', '.join(lake.RESERVED_COLUMNS)}); list a view that selects them under other "
            "names instead of the table (databases.yml)"
        )


def _database(
    settings: Settings,
    loaded_at: dt.datetime,
    state: Mapping[str, Any],
    *,
    database: sql_tables.Database,
    url: str,
    plans: list[sql_tables.TablePlan],
    since: dt.datetime | None = None,
):
    in_window: dict[str, int] = {}
    zero_dates: dict[str, dict[str, int]] = {}
    cursors = sql_tables.previous_cursors(state, database.name, plans)
    lags = sql_tables.lag_windows(plans, cursors, database.lag_seconds, since)
    source = sql_tables.sql_tables(
        database.name, url, plans, loaded_at=loaded_at, lags=lags, cursors=cursors,
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
            if lags.get(plan.name):
                # Where the window began: a row committed later with an older cursor value
                # than that is missed; `cinelake ingest --since` reaches back further.
                start = sql_tables.window_start(cursors.get(plan.name), lags[plan.name])
                details.append(
                    f"{landed - window:,} past the cursor, {window:,} from the "
                    f"{lags[plan.name]:g} s lag window{f' back to {start}' if start else ''} "
                    "(re-read, or late)"
                )
            for column, count in sorted(zero_dates.get(plan.name, {}).items()):
                zeros = f"{count:,} zero dates in {sql_tables.bronze_name(column)} landed as null"
                log.warning("%s.%s: %s", database.name, table, zeros)
                details.append(zeros)
            metric.detail = "; ".join(details)
            metrics.append(metric)
        return metrics

    return source, to_metrics


# dlt's log of a load job that failed transiently and is retried (an I/O error such as a full
# disk): a traceback per attempt. The run's error names the table once; -v shows them.
DLT_RETRY_NOTICES = re.compile(
    r"^(?:Transient exception in job |Job for \S+ retried in load "
    r"|Package \S+ was not fully loaded)"
)


class _QuietArrowHintNotice(logging.Filter):
    """Drops dlt's per-table WARNING that arrow's column hints differ from the resource's.

    The shop's hints come from MySQL reflection and are the ones dlt keeps (DECIMAL precision,
    nullability that connectorx's arrow types do not carry); the data is unchanged and the
    message asks nothing of the user. Its per-column detail remains at INFO (`-v`).
    Also the sql_database WARNING that the load date's partition columns (hinted on every
    resource, see bronze.prepare) are not reflected source columns: they are added by us.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if DLT_RETRY_NOTICES.match(message) and not log.isEnabledFor(logging.DEBUG):
            return False  # the failure is ours to report, once, naming the table
        return "when merging arrow schema with dlt schema" not in message and not (
            "do not match any reflected source columns" in message
            and message.startswith(f"Resource columns {list(lake.PARTITION_COLUMNS)}")
        )


def _quiet_dlt() -> None:
    dlt_log = logging.getLogger("dlt")
    if not any(isinstance(f, _QuietArrowHintNotice) for f in dlt_log.filters):
        dlt_log.addFilter(_QuietArrowHintNotice())


# source -> (builder, day snapshot: each load replaces the load day)
BUILDERS = {"csv": (_csv, False), "tmdb": (_tmdb, True)}


def _parts(
    settings: Settings, name: str, since: dt.datetime | None = None
) -> list[tuple[Callable, bool]]:
    """A source's builders and whether each is a day snapshot; a database of databases.yml
    has up to two (its tables with a cursor, then those without)."""
    return [BUILDERS[name]] if name in BUILDERS else _database_parts(settings, name, since)


def run(
    settings: Settings, sources: tuple[str, ...] = SOURCES, since: dt.datetime | None = None
) -> RunReport:
    """Ingest the given sources; a failing source does not stop the others. `since` (naive
    UTC): the databases re-read their cursor tables back to it (a window of late rows)."""
    _quiet_dlt()
    day = lake.load_date(settings.load_date)
    started = dt.datetime.now(dt.UTC)
    report = RunReport(
        run_id=f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
        load_date=day.isoformat(),
        lake_url=settings.lake_url,
        started_at=started.isoformat(),
    )
    with rust_panics.filtered_stderr(enabled=not log.isEnabledFor(logging.DEBUG)):
        for name in sources:
            _run_one(settings, report, name, started, day, since)
        report.finished_at = dt.datetime.now(dt.UTC).isoformat()
        _write_report(settings, report, day)
    if report.failed and settings.alert_webhook:
        alerts.post_failure(settings.alert_webhook, report)
    return report


def _run_one(
    settings: Settings,
    report: RunReport,
    name: str,
    started: dt.datetime,
    day: dt.date,
    since: dt.datetime | None,
) -> None:
    """Ingest one source into the report: its tables' metrics, or its one error."""
    log.info("ingesting %s into %s", name, lake.bronze_url(settings.lake_url, name))
    try:
        metrics = []
        for builder, day_snapshot in _parts(settings, name, since):
            metrics += _run_source(
                settings,
                name,
                lambda state, b=builder: b(settings, started, state),
                day,
                day_snapshot,
            )
        report.tables += metrics
        # A table can fail without an exception (the reject-rate alarm): its source fails.
        failed = [m.detail for m in metrics if m.status == "failed"]
        if failed:
            report.errors[name] = "; ".join(failed)
    except Exception as exc:  # noqa: BLE001 - reported per source, run continues
        cause = _root_cause(exc)
        table = _failed_table(exc)  # a load job's table (a disk full, say), else "*"
        # Redacted and made one printable line here, once: the report, its table, the
        # console and the alert reuse it.
        where = f"{table}: " if table != "*" else ""
        error = printable(redaction.redact(f"{where}{type(cause).__name__}: {cause}"))
        report.errors[name] = error
        detail = printable(redaction.redact(str(cause)))[:500]
        report.tables.append(TableMetrics(name, table, status="failed", detail=detail))
        log.debug("source %s failed", name, exc_info=True)


RUN_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("load_date", pa.date32()), ("source", pa.string()),
    ("table_name", pa.string()), ("rows_in", pa.int64()), ("rows_landed", pa.int64()),
    ("rows_rejected", pa.int64()), ("bytes", pa.int64()), ("seconds", pa.float64()),
    ("status", pa.string()), ("detail", pa.string()),
    ("started_at", pa.timestamp("us", tz="UTC")), ("finished_at", pa.timestamp("us", tz="UTC")),
])  # fmt: skip


def _write_report(settings: Settings, report: RunReport, day: dt.date) -> None:
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
