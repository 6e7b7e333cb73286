"""A source's failure as the run report states it: our own error under dlt's wrappers, and
the table whose load failed, redacted and made one printable line once, here, for the report,
its run log, the console and the alert alike."""

from __future__ import annotations

from cinelake.errors import printable
from cinelake.ingest import redaction
from cinelake.ingest.report import TableMetrics
from cinelake.ingest.sources import csv_files, sql_tables, tmdb

KNOWN_ERRORS = (
    tmdb.TmdbError, sql_tables.DatabaseUnreachable, sql_tables.UnlandableColumn,
    csv_files.CsvFormatError, FileNotFoundError,
)  # fmt: skip


def describe(source: str, exc: BaseException) -> tuple[str, TableMetrics]:
    """The source's error line, and its failed row: the table of a failed load job (a disk
    full, say), else "*"."""
    cause = _root_cause(exc)
    table = _failed_table(exc)
    where = f"{table}: " if table != "*" else ""
    error = printable(redaction.redact(f"{where}{type(cause).__name__}: {cause}"))
    detail = printable(redaction.redact(str(cause)))[:500]
    return error, TableMetrics(source, table, status="failed", detail=detail)


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
