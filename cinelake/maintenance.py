"""`cinelake maintain`: OPTIMIZE and VACUUM the Delta tables of silver and gold.

Every dbt build writes a new version of each table and keeps the old files for time travel,
so the warehouse grows build after build. OPTIMIZE compacts each table's small files into
fewer large ones (a new version; readers are not disturbed); VACUUM then deletes the files that
no version younger than the retention needs. Run it when no build runs (a build and an
OPTIMIZE committing to the same table at the same moment make one of them fail).

The retention is `CINELAKE_VACUUM_RETAIN_HOURS` (default 168, Delta's own safe minimum): time
travel (`version as of`, `timestamp as of`) reaches back that far and no further after a
VACUUM. Less than 168 hours can delete files that a long query still reads; it is refused
unless forced, and then Delta's own check is turned off for that session only.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from cinelake.config import Settings
from cinelake.errors import CinelakeError, UsageError
from cinelake.stack import sql_client

SCHEMAS = ("silver", "gold")
SAFE_RETAIN_HOURS = 168
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Maintained:
    """One table after OPTIMIZE and VACUUM."""

    table: str
    files_removed: int
    files_added: int
    seconds: float


def delta_tables(settings: Settings) -> list[str]:
    """`schema.table` of every Delta table of silver and gold (views and the Parquet seeds are
    not Delta: OPTIMIZE would refuse them)."""
    found = []
    for schema in SCHEMAS:
        _columns, rows = sql_client.run(settings, f"show table extended in {schema} like '*'")
        for _namespace, name, _temporary, information in rows:
            if "Provider: delta" in information and "Type: VIEW" not in information:
                found.append(f"{schema}.{name}")
    return sorted(found)


def maintain(
    settings: Settings, retain_hours: int | None, force: bool, only: tuple[str, ...] = ()
) -> Iterator[Maintained]:
    """OPTIMIZE, then VACUUM RETAIN `retain_hours` (default: the setting), every Delta table
    (or those named in `only`), one table after the other as the caller iterates; a refused
    retention raises at once."""
    hours = settings.vacuum_retain_hours if retain_hours is None else retain_hours
    if hours < SAFE_RETAIN_HOURS and not force:
        raise UsageError(
            f"a VACUUM retention of {hours} hours is below Delta's safe minimum of "
            f"{SAFE_RETAIN_HOURS}: it can delete files that running queries and time travel "
            "still read; add --force if no reader needs them"
        )
    # Delta refuses a short retention itself; --force lifts that check in this session only.
    return _maintain_each(settings, hours, force, only)


def named_delta_tables(settings: Settings, only: tuple[str, ...]) -> list[str]:
    """The named tables, each checked to be a Delta table of silver or gold by one `describe
    detail` (listing every table of both schemas costs tens of seconds on a big catalog)."""
    found, unknown = [], []
    for table in dict.fromkeys(only):
        schema = table.split(".", 1)[0]
        try:
            if schema not in SCHEMAS or "." not in table:
                raise CinelakeError(table)
            columns, rows = sql_client.run(settings, f"describe detail {table}")
        except CinelakeError:  # no such table (Spark refused): named below, with the others
            unknown.append(table)
            continue
        if dict(zip(columns, rows[0], strict=True)).get("format") == "delta":
            found.append(table)
        else:
            unknown.append(table)
    if unknown:
        raise UsageError(_not_delta(unknown))
    return sorted(found)


def _not_delta(tables: list[str]) -> str:
    return (
        f"not a Delta table of silver or gold: {', '.join(sorted(tables))} "
        "(name them as schema.table, e.g. gold.fct_viewing_sessions)"
    )


def _maintain_each(
    settings: Settings, hours: int, force: bool, only: tuple[str, ...]
) -> Iterator[Maintained]:
    check = "false" if force else "true"
    session = [f"set spark.databricks.delta.retentionDurationCheck.enabled = {check}"]
    if only:
        tables = named_delta_tables(settings, only)
    else:
        log.info("listing the Delta tables of %s", " and ".join(SCHEMAS))
        tables = delta_tables(settings)
    for number, table in enumerate(tables, start=1):
        # OPTIMIZE and VACUUM take seconds even for a small table (each reads the table's
        # log and lists its files): say what runs, so a long one is never silent.
        log.info("%d/%d %s: optimize, then vacuum retain %d hours", number, len(tables), table,
                 hours)  # fmt: skip
        began = time.monotonic()
        results = sql_client.run_all(
            settings, [*session, f"optimize {table}", f"vacuum {table} retain {hours} hours"]
        )
        optimize_columns, optimize_rows = results[len(session)]
        metrics = dict(zip(optimize_columns, optimize_rows[0], strict=True))["metrics"]
        removed, added = _files(metrics)
        log.debug("maintained %s", table)
        yield Maintained(table, removed, added, round(time.monotonic() - began, 1))


def _files(metrics: object) -> tuple[int, int]:
    """numFilesRemoved, numFilesAdded from OPTIMIZE's metrics (a struct: JSON text via
    Thrift)."""
    values = json.loads(metrics) if isinstance(metrics, str) else dict(metrics or {})
    return int(values.get("numFilesRemoved", 0)), int(values.get("numFilesAdded", 0))
