"""Incremental equals full: every silver and gold Delta table as the daily runs left it,
compared row for row with the same table after a `--full-refresh` of the same data.

The daily runs' content is not copied: Delta keeps it. `versions()` notes each table's
current version before the rebuild; `differences()` then compares `<table> version as of <v>`
with the rebuilt table, `except all` both ways (a row doubled on one side is a difference).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from pyhive import hive

# Columns that may legitimately differ between an incremental run and a rebuild, by table.
# Keep this short: keys, versions and validity ranges must be equal. Only built_at (when the
# build that wrote the row started: the daily run's row tests read the rows written since the
# last build) of the models whose row tests run on the day (a bridge the daily run kept holds
# the stamp of the build that wrote it); every other column of every table is compared.
# (int_title_keys, whose issued keys carry the time they were issued, is history that a
# --full-refresh keeps and never rebuilds.)
EXCLUDED_COLUMNS: dict[str, frozenset[str]] = {
    table: frozenset({"built_at"})
    for table in (
        "silver.stg_shop__payments",
        "silver.stg_shop__viewing_sessions",
        "gold.fct_payments",
        "gold.fct_viewing_sessions",
        "gold.bridge_title_artist",
        "gold.bridge_title_genre",
    )
}

SCHEMAS = ("silver", "gold")
SAMPLE_ROWS = 3


def connect(port: int):
    return contextlib.closing(hive.connect(host="127.0.0.1", port=port))


def delta_tables(cursor) -> list[str]:
    """Every Delta table of silver and gold (not the base_ views, not the Parquet seeds)."""
    found = []
    for schema in SCHEMAS:
        cursor.execute(f"show table extended in {schema} like '*'")
        for _ns, name, _tmp, info in cursor.fetchall():
            if "Provider: delta" in info and "Type: VIEW" not in info:
                found.append(f"{schema}.{name}")
    return sorted(found)


def versions(port: int) -> dict[str, int]:
    """The current Delta version of every silver and gold table."""
    with connect(port) as conn:
        cursor = conn.cursor()
        found = {}
        for table in delta_tables(cursor):
            cursor.execute(f"describe history {table} limit 1")
            found[table] = cursor.fetchall()[0][0]
        return found


def compared_columns(cursor, table: str) -> list[str]:
    cursor.execute(f"select * from {table} limit 0")
    excluded = EXCLUDED_COLUMNS.get(table, frozenset())
    return [d[0].split(".")[-1] for d in cursor.description if d[0].split(".")[-1] not in excluded]


def differences(port: int, before: dict[str, int]) -> list[str]:
    """One line per table whose rows differ from its content at version `before[table]`
    (with a few rows of each side), or that exists on one side only."""
    found = []
    with connect(port) as conn:
        cursor = conn.cursor()
        now = set(delta_tables(cursor))
        found += [f"{t}: in the incremental warehouse only" for t in sorted(set(before) - now)]
        found += [f"{t}: in the rebuilt warehouse only" for t in sorted(now - set(before))]
        for table in sorted(set(before) & now):
            columns = ", ".join(f"`{c}`" for c in compared_columns(cursor, table))
            old = f"select {columns} from {table} version as of {before[table]}"
            new = f"select {columns} from {table}"
            sides = {
                "incremental only": f"{old} except all {new}",
                "rebuild only": f"{new} except all {old}",
            }
            lines = []
            for side, sql in sides.items():
                cursor.execute(f"select count(*) from ({sql})")
                [(count,)] = cursor.fetchall()
                if count:
                    cursor.execute(f"{sql} limit {SAMPLE_ROWS}")
                    lines.append(f"{count} rows {side}, e.g. {sample(cursor.fetchall())}")
            if lines:
                found.append(f"{table}: " + "; ".join(lines))
    return found


def sample(rows: Iterable[tuple]) -> str:
    return " | ".join(repr(row)[:300] for row in rows)
