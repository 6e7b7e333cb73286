"""dlt source for the MySQL "shop" database, read as the read-only `etl` user.

Every table is extracted incrementally on `updated_at` and appended to bronze, so bronze keeps
every version of a changed row (SCD2 material for silver). dlt's incremental cursor keeps the
last `updated_at` in the pipeline state.

Late rows: a row can become visible with an `updated_at` older than the cursor (a transaction
that committed after a later one, a lagging replica); a plain cursor never sees it. So each
run re-reads a lag window (dlt's incremental `lag`, CINELAKE_SHOP_LAG_SECONDS, default one
hour) behind the cursor: `updated_at >= cursor - lag`. The cursor itself only moves forward.
With a lag, dlt does not de-duplicate (its boundary de-duplication is off): the rows of the
window are appended again on every run, and silver keeps one row per (key, updated_at). The
run report counts them apart (`rows_lag_window`: rows at or before the previous cursor, which
also includes the late rows landing for the first time). A row committed later than `lag`
behind the cursor of a run that already passed it is still missed (raise the lag for one run
to catch it up). With lag 0 dlt's boundary de-duplication applies: a re-run with no changes
extracts nothing.

Rows arrive as Arrow tables (ConnectorX backend) with the database's types: DECIMAL(p,s)
stays decimal(p,s), DATETIME a timestamp, TINYINT(1) an int8 (silver makes it boolean). Tables
are reflected on every run, so a column added in MySQL appears in bronze from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import dlt
from dlt.sources.sql_database import sql_database

from cinelake.config import SHOP_TABLES as TABLES
from cinelake.ingest.sources.shop.helpers import (
    ShopUnreachable,
    _conform,
    _declared_decimals,
    check_connection,
    connectorx_url,
    previous_cursors,
)
from cinelake.ingest.sources.shop.settings import CHUNK_ROWS, CURSOR_COLUMN

__all__ = [
    "ShopUnreachable",
    "check_connection",
    "previous_cursors",
    "connectorx_url",
    "TABLES",
    "CURSOR_COLUMN",
    "shop",
]


def shop(
    url: str,
    tables: tuple[str, ...] = TABLES,
    loaded_at: dt.datetime | None = None,
    lag_s: int = 0,
    cursors: Mapping[str, Any] | None = None,
    in_window: dict[str, int] | None = None,
):
    """The shop tables as dlt resources: incremental on updated_at with a lag window of
    `lag_s` seconds, appended. `in_window` (optional) receives per table the rows at or before
    `cursors` (the cursors before the run, see previous_cursors)."""
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
    cursors = cursors or {}
    in_window = {} if in_window is None else in_window
    source = sql_database.with_args(name="shop")(
        credentials=url,
        table_names=list(tables),
        # ConnectorX (Rust) decodes MySQL's binary protocol straight into Arrow: ~10x the rate
        # of the pure-Python driver. Streamed in CHUNK_ROWS batches: memory stays flat.
        backend="connectorx",
        backend_kwargs={"conn": connectorx_url(url), "return_type": "arrow_stream"},
        chunk_size=CHUNK_ROWS,
        reflection_level="full_with_precision",
    )
    for name in tables:
        resource = source.resources[name]
        resource.apply_hints(
            write_disposition="append",
            # lag is in seconds for a datetime cursor; None (not 0) keeps dlt's plain cursor
            incremental=dlt.sources.incremental(CURSOR_COLUMN, lag=float(lag_s) or None),
        )
        in_window[name] = 0

        def add(n: int, name: str = name) -> None:
            in_window[name] += n

        resource.add_map(_conform(loaded_at, _declared_decimals(url, name), cursors.get(name), add))
    return source
