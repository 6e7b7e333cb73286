"""The generic database source's parts: reflection into table plans (columns, cursor, key),
how each MySQL type lands in Arrow, and the per-batch conform step.

Every column is read by ConnectorX either as it is (integers, floats, text, ENUM, SET, BLOB,
the cursor) or through a SQL expression whose text or bytes Arrow then casts exactly
(`Landing`): ConnectorX's own decoding is lossy for some types (every DECIMAL as
decimal(38,10), unsigned integers, zero dates), so those travel as text and are cast here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from dlt.common.normalizers.naming.snake_case import NamingConvention

from cinelake.ingest.sources.sql_tables.settings import (
    CURSOR_NAMES,
    SPARK_MAX_PRECISION,
    TEMPORAL_TYPES,
)

INTEGERS = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "integer": 32, "bigint": 64}
# An unsigned integer lands in the next wider signed type; BIGINT UNSIGNED in decimal(20,0).
UNSIGNED_TARGETS = {8: pa.int16(), 16: pa.int32(), 24: pa.int32(), 32: pa.int64()}
AS_THEY_ARE = {
    "float", "double", "real",
    "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
    "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
}  # fmt: skip
GEOMETRIES = {
    "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
    "multipolygon", "geometrycollection", "geomcollection",
}  # fmt: skip
# A zero date: year, month or day 0 ('0000-00-00', '2024-00-10'); Arrow has no such date.
ZERO_DATE = r"^(0000|\d{4}-00|\d{4}-\d{2}-00)"


NAMING = NamingConvention()  # dlt's default: how table and column names appear in bronze


def bronze_name(name: str) -> str:
    """A database table's or column's name in bronze: `Order Items` -> `order_items`."""
    return NAMING.normalize_identifier(name)


class DatabaseUnreachable(RuntimeError):
    """The database cannot be reached or refuses the credentials."""


class UnlandableColumn(ValueError):
    """A column whose type Cinelake cannot land faithfully; the message names it."""


@dataclass(frozen=True)
class Column:
    """One column as information_schema describes it."""

    name: str
    data_type: str  # DATA_TYPE, lower case: 'bigint', 'decimal', 'geometry'
    column_type: str = ""  # COLUMN_TYPE: 'bigint(20) unsigned'
    precision: int | None = None  # NUMERIC_PRECISION (DECIMAL, BIT: its width)
    scale: int | None = None
    on_update: bool = False  # TIMESTAMP ... ON UPDATE CURRENT_TIMESTAMP

    @property
    def unsigned(self) -> bool:
        return "unsigned" in self.column_type.lower()


@dataclass(frozen=True)
class Landing:
    """How a column is read (`select`: None as it is, 'char' as text, 'wkb' through
    ST_AsBinary, 'bits' as an unsigned number in text) and the Arrow type it lands as (None:
    what ConnectorX gives); `zero_dates` when its text may hold zero dates."""

    select: str | None = None
    arrow: pa.DataType | None = None
    zero_dates: bool = False


@dataclass
class TablePlan:
    """A table to land: its columns, cursor (None: a snapshot per load day) and key."""

    name: str
    columns: list[Column]
    cursor: str | None
    primary_key: tuple[str, ...] = ()
    landings: dict[str, Landing] = field(default_factory=dict)


def landing(table: str, column: Column, cursor: str | None = None) -> Landing:
    """How `column` of `table` lands in bronze; UnlandableColumn names what cannot."""
    kind = column.data_type.lower()
    if column.name == cursor:
        if kind not in TEMPORAL_TYPES and kind not in INTEGERS:
            raise UnlandableColumn(
                f"{table}.{column.name}: a cursor must be a date, time stamp or integer, "
                f"not {column.column_type or kind}"
            )
        return Landing()  # compared by dlt's incremental as it comes
    if kind in INTEGERS:
        if not column.unsigned:
            return Landing()
        bits = INTEGERS[kind]
        return Landing("char", UNSIGNED_TARGETS.get(bits, pa.decimal128(20, 0)))
    if kind in ("decimal", "numeric"):
        precision, scale = column.precision or 10, column.scale or 0
        if precision > SPARK_MAX_PRECISION:
            return Landing("char", pa.string())  # exact digits as text: Spark stops at 38
        return Landing("char", pa.decimal128(precision, scale))
    if kind == "date":
        return Landing("char", pa.date32(), zero_dates=True)
    if kind in ("datetime", "timestamp"):
        return Landing("char", pa.timestamp("us"), zero_dates=True)
    if kind == "time":
        return Landing("char", pa.string())  # a duration up to 838:59:59, not a time of day
    if kind == "year":
        return Landing("char", pa.int16())
    if kind == "bit":
        return Landing("bits", pa.int64() if (column.precision or 1) < 64 else pa.decimal128(20, 0))
    if kind == "json":
        return Landing("char", pa.string())
    if kind in GEOMETRIES:
        return Landing("wkb", pa.binary())
    if kind in AS_THEY_ARE:
        return Landing()
    raise UnlandableColumn(
        f"{table}.{column.name}: type {column.column_type or kind} cannot be landed; list a "
        "view that casts it (to text or a number) instead of the table"
    )


def detect_cursor(columns: Sequence[Column], configured: str | None = None) -> str | None:
    """The table's cursor: `configured` if given (must exist), else the first column whose
    bronze name (`Modified At` -> modified_at) is one of CURSOR_NAMES (in that order) with a
    date or time stamp type, else a TIMESTAMP ... ON UPDATE CURRENT_TIMESTAMP column, else
    None (no cursor: daily snapshot)."""
    if configured:
        named = [c.name for c in columns if c.name == configured]
        if not named:
            raise ValueError(f"configured cursor {configured!r} is not a column")
        return named[0]
    by_name = {bronze_name(c.name): c for c in columns}
    for name in CURSOR_NAMES:
        column = by_name.get(name)
        if column is not None and column.data_type.lower() in TEMPORAL_TYPES:
            return column.name
    return next((c.name for c in columns if c.on_update), None)


COLUMNS_SQL = """
select table_name, column_name, data_type, column_type, numeric_precision, numeric_scale, extra
from information_schema.columns where table_schema = database()
order by table_name, ordinal_position
"""


def reflect(url: str) -> tuple[dict[str, list[Column]], dict[str, tuple[str, ...]]]:
    """Every table's and view's columns, and each table's primary key, of the URL's database."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(COLUMNS_SQL)).all()
        inspector = sa.inspect(engine)
        keys = {
            t: tuple(inspector.get_pk_constraint(t).get("constrained_columns") or ())
            for t in inspector.get_table_names()
        }
    finally:
        engine.dispose()
    columns: dict[str, list[Column]] = {}
    for table, name, data_type, column_type, precision, scale, extra in rows:
        columns.setdefault(table, []).append(Column(
            name, str(data_type).lower(), str(column_type), precision, scale,
            on_update="on update" in str(extra or "").lower(),
        ))  # fmt: skip
    return columns, keys


def plan_tables(
    source: str,
    columns: Mapping[str, list[Column]],
    keys: Mapping[str, tuple[str, ...]],
    tables: Sequence[str] | None,
    options: Mapping[str, Mapping[str, Any]],
) -> list[TablePlan]:
    """The plans of `tables` (None: every table, not the views); errors name what is wrong."""
    names = list(tables) if tables else sorted(keys)
    unknown = [t for t in names if t not in columns]
    if unknown:
        raise ValueError(
            f"{source}: tables not in the database: {unknown} (it has: {sorted(columns)})"
        )
    plans = []
    for name in names:
        option = options.get(name, {})
        try:
            cursor = detect_cursor(columns[name], option.get("cursor"))
        except ValueError as exc:
            raise ValueError(f"{source}.{name}: {exc}") from None
        if option.get("cursor", "") is None:  # `cursor: null` asks for a snapshot
            cursor = None
        key = tuple(option.get("primary_key") or keys.get(name, ()))
        landings = {c.name: landing(f"{source}.{name}", c, cursor) for c in columns[name]}
        plans.append(TablePlan(name, columns[name], cursor, key, landings))
    return plans


def adapt_query(plans: Mapping[str, TablePlan]) -> Callable[[Any, sa.Table], Any]:
    """dlt's query_adapter_callback: each column read as its Landing says."""

    def adapt(query: Any, table: sa.Table) -> Any:
        plan = plans[table.name]
        selected = []
        for column in table.columns:
            how = plan.landings[column.name].select
            if how == "char":
                selected.append(sa.cast(column, sa.CHAR).label(column.name))
            elif how == "bits":
                unsigned = sa.cast(column, sa.dialects.mysql.INTEGER(unsigned=True))
                selected.append(sa.cast(unsigned, sa.CHAR).label(column.name))
            elif how == "wkb":
                selected.append(sa.func.ST_AsBinary(column).label(column.name))
            else:
                selected.append(column)
        return query.with_only_columns(*selected)

    return adapt


def time_stamps_only(sql_type: Any) -> Any:
    """dlt's type_adapter_callback: only DATETIME/TIMESTAMP keep a reflected type hint (naive
    time stamps); every other column is typed by its Arrow data (None: no hint)."""
    return sql_type if isinstance(sql_type, sa.DateTime) else None


def count_in_window(table: pa.Table, cursor_column: str, cursor: Any) -> int:
    """Rows of a batch at or before the previous cursor: from the lag window."""
    if cursor is None or table.num_rows == 0:
        return 0
    column = table[cursor_column]
    bound = pa.scalar(cursor).cast(column.type)
    return int(pc.sum(pc.less_equal(column, bound)).as_py() or 0)


def land_column(values: pa.ChunkedArray, how: Landing) -> tuple[pa.ChunkedArray, int]:
    """A column cast to its landing type; the number of zero dates it held (now null)."""
    if how.arrow is None or values.type == how.arrow:
        return values, 0
    zeros = 0
    if how.zero_dates:
        is_zero = pc.fill_null(pc.match_substring_regex(values, ZERO_DATE), False)
        zeros = int(pc.sum(is_zero).as_py() or 0)
        if zeros:
            values = pc.if_else(is_zero, pa.scalar(None, values.type), values)
    if pa.types.is_date32(how.arrow):  # Arrow casts text to a time stamp, not to a date
        return values.cast(pa.timestamp("s")).cast(pa.date32()), zeros
    return values.cast(how.arrow), zeros


def conform(
    plan: TablePlan,
    loaded_at: dt.datetime,
    cursor: Any = None,
    count_window: Callable[[int], None] = lambda _n: None,
    count_zero_dates: Callable[[str, int], None] = lambda _c, _n: None,
):
    """Per batch: every column to its landing type, zero dates to null (counted per column
    through `count_zero_dates`), plus `_loaded_at`; counts the rows at or before `cursor`."""

    def apply(table: pa.Table) -> pa.Table:
        if plan.cursor:
            count_window(count_in_window(table, plan.cursor, cursor))
        for index, name in enumerate(table.column_names):
            how = plan.landings.get(name)
            if how is None:
                continue
            values, zeros = land_column(table[name], how)
            if zeros:
                count_zero_dates(name, zeros)
            table = table.set_column(index, pa.field(name, values.type), values)
        column = pa.array([loaded_at] * table.num_rows, pa.timestamp("us", tz="UTC"))
        return table.append_column(pa.field("_loaded_at", column.type), column)

    return apply


def check_connection(url: str, what: str) -> None:
    """Fail fast with a clear message before dlt starts (its errors are deeply nested)."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", exc)).strip()
        raise DatabaseUnreachable(f"cannot read the {what} database at {where}: {reason}") from exc
    finally:
        engine.dispose()


def connectorx_url(url: str) -> str:
    """ConnectorX speaks `mysql://`, not SQLAlchemy's `mysql+pymysql://`."""
    return sa.engine.make_url(url).set(drivername="mysql").render_as_string(hide_password=False)


def cursor_path(column: str) -> str:
    """dlt's incremental cursor path (a JSONPath) of a column: quoted unless a plain name
    (`"Modified At"`); also the key of the cursor in the pipeline state."""
    return column if re.fullmatch(r"[A-Za-z_]\w*", column) else f'"{column}"'


def previous_cursors(state: Mapping[str, Any], source: str, plans: Sequence[TablePlan]) -> dict:
    """Each table's cursor value as the pipeline state holds it before a run (None: none)."""
    resources = state.get("sources", {}).get(source, {}).get("resources", {})
    return {
        plan.name: resources.get(plan.name, {})
        .get("incremental", {})
        .get(cursor_path(plan.cursor or ""), {})
        .get("last_value")
        for plan in plans
    }


def lag_windows(
    plans: Sequence[TablePlan],
    cursors: Mapping[str, Any],
    lag_s: float,
    since: dt.datetime | None = None,
) -> dict[str, float]:
    """Per table with a cursor, the seconds behind its previous cursor that this run re-reads:
    the configured lag, or back to `since` (naive UTC, as the database's times) when that is
    further. `since` reaches rows committed later than the lag window allows (a long
    transaction, a replica hours behind); it applies to date and time cursors only."""
    windows = {}
    for plan in plans:
        if not plan.cursor:
            continue
        window = float(lag_s)
        previous = cursors.get(plan.name)
        if since is not None and isinstance(previous, dt.datetime | dt.date):
            if not isinstance(previous, dt.datetime):
                previous = dt.datetime.combine(previous, dt.time())
            if previous.tzinfo is not None:
                previous = previous.astimezone(dt.UTC).replace(tzinfo=None)
            window = max(window, (previous - since).total_seconds())
        windows[plan.name] = window
    return windows


def window_start(cursor: Any, lag_s: float) -> str:
    """Where a lag window of `lag_s` behind `cursor` begins, for the run report ("": no
    cursor yet, the run read every row)."""
    if isinstance(cursor, dt.datetime | dt.date):
        return str(cursor - dt.timedelta(seconds=lag_s))
    return f"{cursor} - {lag_s:g}" if cursor is not None else ""
