"""Plan the sources: what each named source reads, as one or more parts, each one dlt pipeline
run (extract, land, verify) of that source.

A part is built into its dlt source only once the pipeline's state is known (after an
interrupted run's package is landed, cinelake/ingest/recover.py): the CSV checksums and the
database cursors read from, and the lag windows behind them, come from that state. Building
also makes the part's tally, the counts the source keeps as it is read (lines, rejects, rows of
the lag window, zero dates), which cinelake/ingest/verify.py turns into the run's metrics.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cinelake import lake
from cinelake.config import Settings
from cinelake.ingest.sources import csv_files, sql_tables, tmdb

SOURCES = ("csv", "tmdb", "shop")


@dataclass
class CsvTally:
    """The files read and, per table, what csv_files counted of its file."""

    paths: dict[str, Path]
    reject_rate_max: float
    files: dict[str, csv_files.FileCounts] = field(default_factory=dict)


@dataclass
class DatabaseTally:
    """The tables read, the cursors and lag windows they were read from, and what sql_tables
    counted: rows of the lag window and zero dates, per table."""

    database: str
    plans: list[sql_tables.TablePlan]
    cursors: dict[str, Any]
    lags: dict[str, float]
    in_window: dict[str, int] = field(default_factory=dict)
    zero_dates: dict[str, dict[str, int]] = field(default_factory=dict)


# None: dlt's row counts are the whole account (TMDB).
Tally = CsvTally | DatabaseTally | None


@dataclass(frozen=True)
class Part:
    """One dlt pipeline run of a source. A day snapshot's load replaces the load day."""

    source: str
    day_snapshot: bool
    build: Callable[[Mapping[str, Any]], tuple[Any, Tally]]  # pipeline state -> source, tally


def databases(settings: Settings) -> dict[str, sql_tables.Database]:
    """The databases `cinelake ingest <name>` reads: those of CINELAKE_DATABASES_FILE, and the
    shop, whose tables are CINELAKE_SHOP_TABLES and lag window CINELAKE_SHOP_LAG_SECONDS."""
    configured = sql_tables.load_databases(settings.databases_file)
    shop = configured.get("shop", sql_tables.Database("shop"))
    configured["shop"] = dataclasses.replace(
        shop, tables=settings.shop_tables, lag_seconds=settings.shop_lag_s
    )
    return configured


def parts(
    settings: Settings, name: str, loaded_at: dt.datetime, since: dt.datetime | None = None
) -> list[Part]:
    """A source's parts; a database has up to two (its tables with a cursor, then those
    without). `loaded_at` is stamped on every row; `since`: see _database_parts."""
    if name == "csv":
        return [Part("csv", False, functools.partial(_csv, settings, loaded_at))]
    if name == "tmdb":
        return [Part("tmdb", True, functools.partial(_tmdb, settings, loaded_at))]
    return _database_parts(settings, name, loaded_at, since)


def _csv(
    settings: Settings, loaded_at: dt.datetime, _state: Mapping[str, Any]
) -> tuple[Any, CsvTally]:
    paths = {"movies": settings.csv_movies_path, "series": settings.csv_series_path}
    tally = CsvTally(paths, settings.reject_rate_max)
    source = csv_files.csv_files(
        movies_path=str(paths["movies"]), series_path=str(paths["series"]),
        loaded_at=loaded_at, counts=tally.files,
    )  # fmt: skip
    return source, tally


def _tmdb(
    settings: Settings, loaded_at: dt.datetime, _state: Mapping[str, Any]
) -> tuple[Any, None]:
    source = tmdb.tmdb(
        base_url=settings.tmdb_base_url, access_token=settings.tmdb_token,
        genre_ids=list(settings.tmdb_genre_ids),
        language=settings.tmdb_language, max_pages=settings.tmdb_max_pages, extracted_at=loaded_at,
    )  # fmt: skip
    return source, None


def _database_parts(
    settings: Settings, name: str, loaded_at: dt.datetime, since: dt.datetime | None
) -> list[Part]:
    """A database's parts: its tables with a cursor (appended, re-reading their lag window
    or back to `since`), then those without (snapshots replacing the load day)."""
    database = databases(settings)[name]
    url = settings.database_url(name)
    plans = sql_tables.plan(database, url)
    _refuse_reserved_columns(name, plans)
    found = []
    for day_snapshot in (False, True):
        chosen = [p for p in plans if (p.cursor is None) == day_snapshot]
        if chosen:
            build = functools.partial(
                _database, database, url, chosen, loaded_at=loaded_at, since=since
            )
            found.append(Part(name, day_snapshot, build))
    return found


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
    database: sql_tables.Database,
    url: str,
    plans: list[sql_tables.TablePlan],
    state: Mapping[str, Any],
    *,
    loaded_at: dt.datetime,
    since: dt.datetime | None,
) -> tuple[Any, DatabaseTally]:
    cursors = sql_tables.previous_cursors(state, database.name, plans)
    lags = sql_tables.lag_windows(plans, cursors, database.lag_seconds, since)
    tally = DatabaseTally(database.name, plans, cursors, lags)
    source = sql_tables.sql_tables(
        database.name, url, plans, loaded_at=loaded_at, lags=lags, cursors=cursors,
        in_window=tally.in_window, zero_dates=tally.zero_dates,
    )  # fmt: skip
    return source, tally
