"""Verify: what a part landed, checked against what its source counted, as the run's metrics.

Per table: rows in, landed and rejected, the bytes the load's Delta commit added, the seconds
the part took, and a status. CSV: the parsed rows must be the rows dlt wrote, a file that
could not be read fails its table (the other file is not held back), and a file whose rejected
share trips the alarm fails too (cinelake/ingest/reject_rate.py). A database: each table says
how many of its rows came from the lag window, and how many zero dates landed as null.
"""

from __future__ import annotations

import logging

from cinelake import lake
from cinelake.ingest import reject_rate
from cinelake.ingest.extract import Staged
from cinelake.ingest.plan import CsvTally, DatabaseTally
from cinelake.ingest.recover import Recovered
from cinelake.ingest.report import TableMetrics
from cinelake.ingest.sources import csv_files, sql_tables

log = logging.getLogger(__name__)


def verify(
    staged: Staged, load_id: str, recovered: Recovered, lake_url: str, seconds: float
) -> list[TableMetrics]:
    """The part's metrics, one row per table: a table of a recovered package adds its rows
    and bytes to this load's row of the same table (and says so), or keeps its own row."""
    match staged.tally:
        case CsvTally():
            metrics = _csv(staged.tally, staged.row_counts)
        case DatabaseTally():
            metrics = _database(staged.tally, staged.row_counts)
        case None:
            rows = sorted(staged.row_counts.items())
            metrics = [TableMetrics(staged.source, t, n, n) for t, n in rows]
    for metric in metrics:
        metric.seconds = seconds
        if load_id and metric.status != "skipped":  # a tripped file did land its rows
            metric.bytes = _landed_bytes(lake_url, staged.source, metric.table, load_id)
    return _merge(_recovered(staged.source, recovered, lake_url), metrics)


def _csv(tally: CsvTally, row_counts: dict[str, int]) -> list[TableMetrics]:
    metrics = []
    for table, file_counts in tally.files.items():
        metric = TableMetrics("csv", table, file_counts.lines_in, file_counts.landed,
                              file_counts.rejected)  # fmt: skip
        if file_counts.error:  # nothing of it was read; the other file is not held back
            metric.status = "failed"
            metric.detail = file_counts.error
            if not tally.paths[table].is_file():
                metric.detail += f": run `cinelake demo-data` or set CINELAKE_CSV_{table.upper()}"
            metrics.append(metric)
            continue
        if file_counts.skipped:
            metric.status = "skipped"
            metric.detail = f"content {file_counts.sha256[:12]} already loaded"
        else:
            reasons = sorted(file_counts.reasons.items())
            metric.detail = ", ".join(f"{k}={v}" for k, v in reasons)
        reject_rate.judge(metric, file_counts, tally.reject_rate_max)
        metrics.append(metric)
    landed = sum(c.landed for c in tally.files.values())
    if landed != sum(n for t, n in row_counts.items() if t != csv_files.REJECTS_TABLE):
        raise RuntimeError(f"CSV accounting: parsed {landed} rows, dlt wrote {row_counts}")
    return metrics


def _database(tally: DatabaseTally, row_counts: dict[str, int]) -> list[TableMetrics]:
    metrics = []
    for plan in tally.plans:
        table = sql_tables.bronze_name(plan.name)
        landed = row_counts.get(table, 0)
        window = tally.in_window.get(plan.name, 0)
        metric = TableMetrics(tally.database, table, landed, landed, rows_lag_window=window)
        details = []
        if tally.lags.get(plan.name):
            # Where the window began: a row committed later with an older cursor value
            # than that is missed; `cinelake ingest --since` reaches back further.
            lag = tally.lags[plan.name]
            start = sql_tables.window_start(tally.cursors.get(plan.name), lag)
            details.append(
                f"{landed - window:,} past the cursor, {window:,} from the "
                f"{lag:g} s lag window{f' back to {start}' if start else ''} "
                "(re-read, or late)"
            )
        for column, count in sorted(tally.zero_dates.get(plan.name, {}).items()):
            zeros = f"{count:,} zero dates in {sql_tables.bronze_name(column)} landed as null"
            log.warning("%s.%s: %s", tally.database, table, zeros)
            details.append(zeros)
        metric.detail = "; ".join(details)
        metrics.append(metric)
    return metrics


def _recovered(source: str, recovered: Recovered, lake_url: str) -> list[TableMetrics]:
    """The rows and bytes each recovered package landed, whichever run committed them."""
    metrics = []
    for load_id, rows_per_table in recovered.packages.items():
        detail = f"finished package {load_id} of an interrupted run"
        for table, rows in sorted(rows_per_table.items()):
            metric = TableMetrics(source, table, rows, rows, detail=detail)
            metric.bytes = _landed_bytes(lake_url, source, table, load_id)
            metric.seconds = recovered.seconds
            metrics.append(metric)
    return metrics


def _landed_bytes(lake_url: str, source: str, table: str, load_id: str) -> int:
    return lake.committed_bytes(lake.bronze_url(lake_url, source, table), load_id)


def _merge(recovered: list[TableMetrics], metrics: list[TableMetrics]) -> list[TableMetrics]:
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
