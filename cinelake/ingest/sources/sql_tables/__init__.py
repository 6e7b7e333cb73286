"""dlt source for any MySQL/MariaDB database named in `databases.yml`, table by table.

A database is configured by name (the demo's `shop` is one): its tables (every table by
reflection, or a list), and per table the cursor and primary key when the defaults do not
fit. A table with a cursor (see settings.CURSOR_NAMES for the detection rule) is extracted
incrementally on it and appended to bronze, so bronze keeps every version of a changed row;
dlt keeps the last cursor in the pipeline state. A table without one is a snapshot: read
whole on every run and replacing that load day's partition (the caller loads it apart, with
`day_snapshot`).

Late rows: a row can become visible with a cursor older than the last one (a transaction that
committed after a later one, a lagging replica); a plain cursor never sees it. So a run can
re-read a lag window (dlt's incremental `lag`, in seconds: CINELAKE_SHOP_LAG_SECONDS for the
shop, `lag_seconds` for the others) behind the cursor: `cursor >= last - lag`. The cursor
itself only moves forward. With a lag, dlt does not de-duplicate (its boundary de-duplication
is off): the rows of the window are appended again on every run, and silver keeps one row per
(key, cursor). The run report counts them apart (`rows_lag_window`: rows at or before the
previous cursor, which also includes the late rows landing for the first time). With lag 0
dlt's boundary de-duplication applies: a re-run with no changes extracts nothing.

Types: see helpers.landing and the type table of docs/ingestion.md. Rows arrive as Arrow tables
(ConnectorX backend); columns are reflected on every run, so a column added in the database
appears in bronze from then on. dlt names tables and columns snake_case in bronze
(`Order Items` -> `order_items`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
import yaml
from dlt.sources.sql_database import sql_database

from cinelake.ingest.sources.sql_tables.helpers import (
    DatabaseUnreachable,
    TablePlan,
    UnlandableColumn,
    adapt_query,
    bronze_name,
    check_connection,
    conform,
    connectorx_url,
    cursor_path,
    lag_windows,
    plan_tables,
    previous_cursors,
    reflect,
    time_stamps_only,
    window_start,
)
from cinelake.ingest.sources.sql_tables.settings import CHUNK_ROWS

__all__ = [
    "Database",
    "DatabaseUnreachable",
    "TablePlan",
    "UnlandableColumn",
    "bronze_name",
    "check_connection",
    "lag_windows",
    "load_databases",
    "plan",
    "previous_cursors",
    "sql_tables",
    "window_start",
]

TABLE_OPTIONS = {"cursor", "primary_key"}


@dataclass(frozen=True)
class Database:
    """One entry of databases.yml."""

    name: str
    tables: tuple[str, ...] | None = None  # None: every table
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    lag_seconds: int = 0


def load_databases(path: Path) -> dict[str, Database]:
    """The databases configured in `path` (a missing file configures none)."""
    if not path.is_file():
        return {}
    document = yaml.safe_load(path.read_text()) or {}
    databases = {}
    for name, entry in (document.get("databases") or {}).items():
        entry = entry or {}
        where = f"{path.name}: databases.{name}"
        unknown = set(entry) - {"tables", "lag_seconds"}
        if unknown or not str(name).isidentifier():
            raise ValueError(f"{where}: a name of letters, digits and _ with `tables` and "
                             f"`lag_seconds`, not {sorted(unknown)}")  # fmt: skip
        tables = entry.get("tables")
        options: dict[str, dict[str, Any]] = {}
        if isinstance(tables, dict):
            for table, option in tables.items():
                options[str(table)] = dict(option or {})
                if set(options[str(table)]) - TABLE_OPTIONS:
                    raise ValueError(f"{where}.tables.{table}: options are {sorted(TABLE_OPTIONS)}")
            tables = list(tables)
        elif tables is not None and not isinstance(tables, list):
            raise ValueError(f"{where}.tables: a list of names, or names with options")
        databases[name] = Database(
            name, tuple(map(str, tables)) if tables else None, options,
            int(entry.get("lag_seconds") or 0),
        )  # fmt: skip
    return databases


def plan(database: Database, url: str) -> list[TablePlan]:
    """Check the connection, reflect the database, and plan its tables."""
    check_connection(url, database.name)
    columns, keys = reflect(url)
    return plan_tables(database.name, columns, keys, database.tables, database.options)


def sql_tables(
    name: str,
    url: str,
    plans: list[TablePlan],
    loaded_at: dt.datetime | None = None,
    lags: Mapping[str, float] | None = None,
    cursors: Mapping[str, Any] | None = None,
    in_window: dict[str, int] | None = None,
    zero_dates: dict[str, dict[str, int]] | None = None,
):
    """The planned tables as dlt resources, appended: incremental on their cursor with a lag
    window of `lags[table]` seconds (see lag_windows), or whole. `in_window` (optional)
    receives per table the rows at or before `cursors` (the cursors before the run, see
    previous_cursors), `zero_dates` per table and column the zero dates landed as null."""
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
    cursors = cursors or {}
    in_window = {} if in_window is None else in_window
    zero_dates = {} if zero_dates is None else zero_dates
    source = sql_database.with_args(name=name)(
        credentials=url,
        table_names=[p.name for p in plans],
        # ConnectorX (Rust) decodes MySQL's binary protocol straight into Arrow: ~10x the rate
        # of the pure-Python driver. Streamed in CHUNK_ROWS batches: memory stays flat.
        backend="connectorx",
        backend_kwargs={"conn": connectorx_url(url), "return_type": "arrow_stream"},
        chunk_size=CHUNK_ROWS,
        # Types come from the Arrow data the conform step makes, not from reflection (the two
        # would disagree where a column lands cast, see helpers.landing), except time stamps:
        # their hint keeps them naive, as the database holds them (dlt's default is UTC-aware).
        reflection_level="full",
        type_adapter_callback=time_stamps_only,
        query_adapter_callback=adapt_query({p.name: p for p in plans}),
    )
    for table in plans:
        resource = source.resources[table.name]
        resource.apply_hints(write_disposition="append")
        if table.primary_key:
            resource.apply_hints(primary_key=list(table.primary_key))
        if table.cursor:
            # lag is in seconds for a datetime cursor; None (not 0) keeps dlt's plain cursor
            resource.apply_hints(
                incremental=dlt.sources.incremental(
                    cursor_path(table.cursor), lag=float((lags or {}).get(table.name, 0)) or None
                )
            )
        in_window[table.name] = 0
        zero_dates[table.name] = {}

        def add(n: int, name: str = table.name) -> None:
            in_window[name] += n

        def add_zeros(column: str, n: int, name: str = table.name) -> None:
            zero_dates[name][column] = zero_dates[name].get(column, 0) + n

        # After dlt's incremental step (a plain add_map would run before it): counts and casts
        # only the rows that land, not the boundary rows it drops as already loaded.
        resource.add_map(
            conform(table, loaded_at, cursors.get(table.name), add, add_zeros),
            insert_at=len(resource._pipe.steps),
        )
    return source
