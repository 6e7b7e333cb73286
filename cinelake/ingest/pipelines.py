"""`cinelake ingest`: run each source's dlt pipeline into bronze, stage by stage, then report.

Each source has its own dlt pipeline (state under `$CINELAKE_HOME/dlt`) landing each table as a
Delta table `<lake>/bronze/<source>/<table>/`, partitioned by the load date (see
cinelake/ingest/bronze.py: one atomic, exactly-once commit per table per load). A run takes
each source through these stages, each a module of its own, in this order:

1. plan     (plan.py)     what the source reads, as parts: one pipeline run each
2. recover  (recover.py)  the package an interrupted run left is landed first, exactly once
3. extract  (extract.py)  the source read into a new package on local disk, nothing in the lake
4. land     (land.py)     the package loaded into bronze, one Delta commit per table
5. verify   (verify.py)   what landed checked against what the source counted: the metrics
6. report   (report.py)   every source's metrics and errors, written once for the run

Per source:

- csv  appends; content already loaded (same SHA-256) is skipped (see sources/csv_files/).
       A file whose rejected share trips the alarm (cinelake/ingest/reject_rate.py), or that
       cannot be read at all (missing, empty, not a movies/series file), fails its table and
       the source; the other file still lands.
- tmdb is a daily snapshot: each load replaces the load day's partition, in one commit.
- shop and every database of databases.yml (`cinelake ingest <name>`) append what changed
       since the last run (incremental on each table's cursor, re-reading a lag window
       behind it so late-committed rows land); a table without a cursor is a daily snapshot
       like TMDB's (see sources/sql_tables/).

Crash safety. A run killed at any point leaves its package pending; the next run of that
source recovers it before it extracts anew from the state the package carried. A failure while
extracting or normalizing drops the new package (nothing of it reached the lake); a failure
while loading keeps it for the next run. A failing source does not stop the others.

Every run writes a report (per source and table: rows in, landed, rejected, bytes, seconds,
status) to `$CINELAKE_HOME/runs/<run id>.json` and to the bronze Delta table
`ops/ingestion_runs`, prints a summary, and posts a Slack-compatible alert to
CINELAKE_ALERT_WEBHOOK when it failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid

import dlt

from cinelake import lake
from cinelake.config import Settings
from cinelake.ingest import (
    alerts,
    bronze,
    dlt_log,
    extract,
    failure,
    land,
    plan,
    recover,
    report,
    rust_panics,
    verify,
)
from cinelake.ingest.report import RunReport, TableMetrics

log = logging.getLogger(__name__)


def run(
    settings: Settings, sources: tuple[str, ...] = plan.SOURCES, since: dt.datetime | None = None
) -> RunReport:
    """Ingest the given sources; a failing source does not stop the others. `since` (naive
    UTC): the databases re-read their cursor tables back to it (a window of late rows)."""
    dlt_log.quiet()
    day = lake.load_date(settings.load_date)
    started = dt.datetime.now(dt.UTC)
    run_report = RunReport(
        run_id=f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
        load_date=day.isoformat(),
        lake_url=settings.lake_url,
        started_at=started.isoformat(),
    )
    with rust_panics.filtered_stderr(enabled=not log.isEnabledFor(logging.DEBUG)):
        for name in sources:
            _ingest(settings, run_report, name, started, day, since)
        run_report.finished_at = dt.datetime.now(dt.UTC).isoformat()
        report.write(settings, run_report, day)
    if run_report.failed and settings.alert_webhook:
        alerts.post_failure(settings.alert_webhook, run_report)
    return run_report


def _ingest(
    settings: Settings,
    run_report: RunReport,
    name: str,
    started: dt.datetime,
    day: dt.date,
    since: dt.datetime | None,
) -> None:
    """Ingest one source into the report: its tables' metrics, or its one error."""
    log.info("ingesting %s into %s", name, lake.bronze_url(settings.lake_url, name))
    try:
        metrics = []
        for part in plan.parts(settings, name, started, since):
            metrics += _run_part(settings, part, day)
        run_report.tables += metrics
        # A table can fail without an exception (the reject-rate alarm): its source fails.
        failed = [m.detail for m in metrics if m.status == "failed"]
        if failed:
            run_report.errors[name] = "; ".join(failed)
    except Exception as exc:  # noqa: BLE001 - reported per source, run continues
        run_report.errors[name], failed_row = failure.describe(name, exc)
        run_report.tables.append(failed_row)
        log.debug("source %s failed", name, exc_info=True)


def _run_part(settings: Settings, part: plan.Part, day: dt.date) -> list[TableMetrics]:
    """One pipeline run of a part: recover, extract, land, then verify what landed."""
    began = time.monotonic()
    pipeline = _pipeline(settings, part.source)
    spark_dirs = lake.release_dataset_dir(settings.lake_url, part.source)
    try:
        recovered = recover.finish_pending(pipeline)
        staged = extract.extract(pipeline, part, day, settings.crash_at)
        load_id = land.land(pipeline)
    finally:
        lake.restore_dirs(settings.lake_url, spark_dirs)
    seconds = round(time.monotonic() - began, 2)
    return verify.verify(staged, load_id, recovered, settings.lake_url, seconds)


def _pipeline(settings: Settings, source: str) -> dlt.Pipeline:
    """The source's dlt pipeline, which every stage of a part's run works on."""
    return dlt.pipeline(
        pipeline_name=f"cinelake_{source}",
        pipelines_dir=str(settings.home / "dlt"),
        destination=bronze.destination(settings.lake_url),
        dataset_name=source,
        progress="log" if settings.progress else None,
    )
