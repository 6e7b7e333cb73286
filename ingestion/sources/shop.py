"""dlt source for the MySQL "shop" database, read as the read-only `etl` user.

Every table is extracted incrementally on `updated_at` and appended to bronze, so bronze keeps
every version of a changed row (SCD2 material for silver). dlt's incremental cursor keeps the
last `updated_at` in the pipeline state and de-duplicates rows sitting exactly on that
boundary, so a re-run with no changes extracts nothing and a re-run after changes extracts only
them. Rows arrive as Arrow tables (pyarrow backend) with the database's types: DECIMAL stays
decimal, DATETIME a timestamp, TINYINT(1) a small integer (silver makes it boolean). Tables are
reflected on every run, so a column added in MySQL appears in bronze from then on.
"""

from __future__ import annotations

import datetime as dt

import dlt
import pyarrow as pa
import sqlalchemy as sa
from dlt.sources.sql_database import sql_database

TABLES = ("plans", "customers", "subscriptions", "catalog_titles", "viewing_sessions", "payments")
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


def _add_loaded_at(loaded_at: dt.datetime):
    def add(table: pa.Table) -> pa.Table:
        column = pa.array([loaded_at] * table.num_rows, pa.timestamp("us", tz="UTC"))
        return table.append_column(pa.field("_loaded_at", column.type), column)

    return add


def shop(url: str, tables: tuple[str, ...] = TABLES, loaded_at: dt.datetime | None = None):
    """The shop tables as dlt resources: incremental on updated_at, appended."""
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
    source = sql_database.with_args(name="shop")(
        credentials=url,
        table_names=list(tables),
        backend="pyarrow",
        chunk_size=CHUNK_ROWS,
        reflection_level="full_with_precision",  # DECIMAL(10,2) stays decimal(10,2)
    )
    for name in tables:
        resource = source.resources[name]
        resource.apply_hints(
            write_disposition="append",
            incremental=dlt.sources.incremental(CURSOR_COLUMN),
        )
        resource.add_map(_add_loaded_at(loaded_at))
    return source
