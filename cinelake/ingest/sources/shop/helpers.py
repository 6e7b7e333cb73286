"""The shop source's parts: connection check, the previous run's cursors, and the per-batch
conform step (DECIMAL precision, `_loaded_at`, the lag window's count)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from cinelake.ingest.sources.shop.settings import CURSOR_COLUMN


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
