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
from collections.abc import Callable, Mapping
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from dlt.sources.sql_database import sql_database

from cinelake.config import SHOP_TABLES as TABLES

CURSOR_COLUMN = "updated_at"
CHUNK_ROWS = 50_000


class ShopUnreachable(RuntimeError):
    """MySQL cannot be reached or refuses the credentials."""


def check_connection(url: str) -> None:
    """Fail fast with a clear message before dlt starts (its errors are deeply nested)."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", exc)).strip()
        raise ShopUnreachable(f"cannot read the shop database at {where}: {reason}") from exc
    finally:
        engine.dispose()


def previous_cursors(state: Mapping[str, Any], tables: tuple[str, ...]) -> dict[str, Any]:
    """Each table's `updated_at` cursor as the pipeline state holds it before a run (None: none)."""
    resources = state.get("sources", {}).get("shop", {}).get("resources", {})
    return {
        table: resources.get(table, {})
        .get("incremental", {})
        .get(CURSOR_COLUMN, {})
        .get("last_value")
        for table in tables
    }


def _count_in_window(table: pa.Table, cursor: Any) -> int:
    """Rows of a batch at or before the previous cursor: from the lag window."""
    if cursor is None or table.num_rows == 0:
        return 0
    column = table[CURSOR_COLUMN]
    bound = pa.scalar(cursor).cast(column.type)
    return int(pc.sum(pc.less_equal(column, bound)).as_py() or 0)


def _conform(
    loaded_at: dt.datetime,
    decimals: dict[str, pa.DataType],
    cursor: Any = None,
    count_window: Callable[[int], None] = lambda _n: None,
):
    """Per batch: DECIMAL columns back to their declared precision, plus `_loaded_at`; counts
    the rows at or before `cursor` (the previous run's) through `count_window`.

    ConnectorX returns every DECIMAL as decimal(38,10); casting to the column's own
    DECIMAL(p,s) is exact (values were stored with that scale) and keeps bronze faithful.
    """

    def conform(table: pa.Table) -> pa.Table:
        count_window(_count_in_window(table, cursor))
        for name, decimal_type in decimals.items():
            if name in table.column_names:
                index = table.column_names.index(name)
                table = table.set_column(index, name, table[name].cast(decimal_type))
        column = pa.array([loaded_at] * table.num_rows, pa.timestamp("us", tz="UTC"))
        return table.append_column(pa.field("_loaded_at", column.type), column)

    return conform


def _declared_decimals(url: str, table: str) -> dict[str, pa.DataType]:
    engine = sa.create_engine(url)
    try:
        columns = sa.inspect(engine).get_columns(table)
    finally:
        engine.dispose()
    return {
        c["name"]: pa.decimal128(c["type"].precision, c["type"].scale)
        for c in columns
        if isinstance(c["type"], sa.Numeric) and c["type"].precision and c["type"].scale is not None
    }


def connectorx_url(url: str) -> str:
    """ConnectorX speaks `mysql://`, not SQLAlchemy's `mysql+pymysql://`."""
    return sa.engine.make_url(url).set(drivername="mysql").render_as_string(hide_password=False)


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
