"""The lake: a root URL (a local path, or s3://bucket/prefix) and the bronze layout under it.

    <lake>/bronze/<source>/<table>/             a Delta table (dlt is its only writer)
        _delta_log/                             its commits: a file is in the table once a
                                                commit adds it, never before
        _load_year=YYYY/_load_month=M/_load_day=D/part-*.parquet
                                                its data, partitioned by the load date

The day is the load date (UTC, or CINELAKE_LOAD_DATE for backfills and tests), stamped on every
row as the int columns `_load_year`, `_load_month`, `_load_day` (the silver models read the
macro `bronze_load_date()`). Bronze's own columns (those, dlt's `_dlt_*` and `_loaded_at`) are
named so that no source plausibly has them: a source's own `year`, `month` or `day` lands as it
came, and a source column that does take a reserved name fails its table with a clear error
(RESERVED_COLUMNS) instead of being overwritten. Each load of a table is one Delta commit: a
reader (Spark, deltalake) sees it all or nothing, and a crash mid-write leaves only
unreferenced files behind.

On S3 the Delta writer (delta-rs) needs a way to commit safely: S3 has no atomic rename. Bronze
has a single writer by design (one `cinelake ingest` at a time, Spark never writes bronze), so
the commits use `AWS_S3_ALLOW_UNSAFE_RENAME` (delta-rs's single-writer mode) rather than a
DynamoDB lock table, which an S3-compatible stand-in does not have.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import fsspec
import pyarrow as pa

from cinelake.config import load_settings

BRONZE = "bronze"
# The load date's partition columns of every bronze table (int32: Spark's `int`).
PARTITION_COLUMNS = ("_load_year", "_load_month", "_load_day")
# What bronze adds to a source's columns: the partition columns, dlt's load id and row id, and
# the extraction time. A source column of the same name (after dlt's snake_case naming) would
# be overwritten or doubled, so it is refused (see reserved_collisions).
RESERVED_COLUMNS = (*PARTITION_COLUMNS, "_dlt_load_id", "_dlt_id", "_loaded_at")
# The partition columns of bronze tables written before 2026-12-05: `year`, `month`, `day`
# overwrote a source's columns of those names. Such a table is rewritten once, in one commit,
# with the partition columns renamed (migrate_legacy_partitions).
LEGACY_PARTITION_COLUMNS = ("year", "month", "day")
# The Delta transaction id (Delta's "txn" action) under which ingestion commits a dlt load:
# its version is the load id, so a load committed once is never committed again.
INGEST_APP_ID = "cinelake-ingest"
LOAD_ID_METADATA = "dlt_load_id"


def load_date(pinned: dt.date | None) -> dt.date:
    """The partition day of this run: the pinned day (CINELAKE_LOAD_DATE), else today UTC."""
    return pinned or dt.datetime.now(dt.UTC).date()


def partition_values(day: dt.date) -> dict[str, int]:
    return dict(zip(PARTITION_COLUMNS, (day.year, day.month, day.day), strict=True))


def day_predicate(days: set[tuple[int, int, int]]) -> str:
    """A Delta predicate selecting the given (year, month, day) load-date partitions."""
    return " OR ".join(
        "(" + " AND ".join(f"{c} = {v}" for c, v in zip(PARTITION_COLUMNS, day, strict=True)) + ")"
        for day in sorted(days)
    )


def day_filters(day: dt.date) -> list[tuple[str, str, int]]:
    """pyarrow/deltalake filters selecting one load day of a bronze table."""
    return [(name, "=", value) for name, value in partition_values(day).items()]


def reserved_collisions(columns: list[str]) -> list[str]:
    """The columns among `columns` that bronze would overwrite or double: those whose name, as
    dlt names it in bronze (snake_case), is one of RESERVED_COLUMNS."""
    from dlt.common.normalizers.naming.snake_case import NamingConvention

    naming = NamingConvention()
    return [c for c in columns if naming.normalize_identifier(c) in RESERVED_COLUMNS]


def stamp(table: pa.Table, day: dt.date) -> pa.Table:
    """`table` with the load date's partition columns appended (never over a column of its own:
    a source's column of that name would lose its values)."""
    if clash := [c for c in table.column_names if c in PARTITION_COLUMNS]:
        raise ValueError(f"columns {clash} are bronze's load-date partition columns")
    for name, value in partition_values(day).items():
        table = table.append_column(name, pa.array([value] * table.num_rows, pa.int32()))
    return table


def bronze_url(lake_url: str, source: str = "", table: str = "") -> str:
    return "/".join(part.rstrip("/") for part in (lake_url, BRONZE, source, table) if part)


def filesystem(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """The fsspec filesystem of a URL and the path inside it (s3 honours AWS_ENDPOINT_URL)."""
    options = {}
    if url.startswith("s3://") and (endpoint_url := load_settings().aws_endpoint_url):
        options["client_kwargs"] = {"endpoint_url": endpoint_url}
    return fsspec.core.url_to_fs(url, **options)


def delta_storage_options(url: str) -> dict[str, str]:
    """deltalake's storage options for a lake URL. Credentials are never here: delta-rs reads
    them from the environment (AWS_ACCESS_KEY_ID...), as boto3 and Spark's S3A do."""
    if not url.startswith("s3://"):
        return {}
    options = {"AWS_S3_ALLOW_UNSAFE_RENAME": "true"}  # single writer: see the docstring
    if endpoint_url := load_settings().aws_endpoint_url:
        options["AWS_ENDPOINT_URL"] = endpoint_url
        options["AWS_ALLOW_HTTP"] = str(endpoint_url.startswith("http://")).lower()
    return options


def delta_table(url: str) -> Any:
    """The Delta table at `url`, or None when nothing was ever committed there."""
    from deltalake import DeltaTable

    options = delta_storage_options(url)
    if not DeltaTable.is_deltatable(url, options):
        return None
    return DeltaTable(url, storage_options=options)


def append(url: str, table: pa.Table) -> None:
    """Append rows to a bronze Delta table (created on first use): one commit."""
    from deltalake import write_deltalake

    migrate_legacy_partitions(url)
    write_deltalake(url, table, mode="append", partition_by=list(PARTITION_COLUMNS),
                    schema_mode="merge", storage_options=delta_storage_options(url))  # fmt: skip


def migrate_legacy_partitions(url: str) -> bool:
    """Rewrite a bronze table partitioned by the legacy `year`, `month`, `day` as one
    partitioned by PARTITION_COLUMNS, in one overwrite commit (readers see the table before or
    after; earlier versions stay readable by time travel until VACUUM). Those columns held the
    load date (a source's own columns of those names were already overwritten by it: the
    reason for the new names). Returns whether the table was rewritten."""
    from deltalake import write_deltalake

    table = delta_table(url)
    if table is None or tuple(table.metadata().partition_columns) != LEGACY_PARTITION_COLUMNS:
        return False
    data = table.to_pyarrow_table()
    names = dict(zip(LEGACY_PARTITION_COLUMNS, PARTITION_COLUMNS, strict=True))
    data = data.rename_columns([names.get(n, n) for n in data.column_names])
    data = data.select(  # the partition columns last, as a new table has them
        [n for n in data.column_names if n not in PARTITION_COLUMNS] + list(PARTITION_COLUMNS)
    )
    write_deltalake(table, data, mode="overwrite", schema_mode="overwrite",
                    partition_by=list(PARTITION_COLUMNS))  # fmt: skip
    return True


def committed_bytes(url: str, load_id: str) -> int:
    """Bytes of the Parquet files the commit of dlt load `load_id` added to the table at `url`
    (0 when that load committed nothing there). Looks through the table's latest commits."""
    table = delta_table(url)
    if table is None:
        return 0
    version = next(
        (c.get("version") for c in table.history(limit=20) if c.get(LOAD_ID_METADATA) == load_id),
        None,
    )
    if version is None:
        return 0
    fs, path = filesystem(f"{url}/_delta_log/{version:020d}.json")
    fs.invalidate_cache()  # s3fs may hold a listing of _delta_log from before the commit
    with fs.open(path, "rt") as log:
        actions = [json.loads(line) for line in log if line.strip()]
    return sum(action["add"]["size"] for action in actions if "add" in action)


def release_dataset_dir(lake_url: str, source: str) -> list[str]:
    """Free <bronze>/<source> for dlt when only Spark has been there.

    Registering a bronze table before its first landing makes Spark create its (empty) table
    directory (a placeholder, see register_bronze_sources); dlt then refuses to create its
    dataset directory, which already exists.
    When that directory holds no file and no dlt marker, it is removed and the list of its
    (empty) directories returned, for restore_dirs() to put back after the load.
    """
    fs, path = filesystem(bronze_url(lake_url, source))
    if not fs.isdir(path) or fs.find(path):
        return []  # absent, or dlt's (it holds files): nothing to do
    empty_dirs = sorted(fs.find(path, withdirs=True))
    fs.rm(path, recursive=True)
    return empty_dirs


def restore_dirs(lake_url: str, dirs: list[str]) -> None:
    """Re-create directories (tables registered in Spark expect their location to exist)."""
    fs, _ = filesystem(lake_url)
    for directory in dirs:
        fs.makedirs(directory, exist_ok=True)


def spark_url(url: str) -> str:
    """The lake URL as Spark's Hadoop file systems name it: S3A serves `s3a://`."""
    return "s3a://" + url.removeprefix("s3://") if url.startswith("s3://") else url


def spark_s3a_confs(url: str, endpoint_url: str) -> dict[str, str]:
    """Spark properties for an `s3://` lake on an S3-compatible endpoint (none for AWS itself
    or a local lake). Never credentials: S3A reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    from the server's environment, so they appear in no command line, conf or log."""
    if not url.startswith("s3://") or not endpoint_url:
        return {}
    return {
        "spark.hadoop.fs.s3a.endpoint": endpoint_url,
        "spark.hadoop.fs.s3a.path.style.access": "true",  # no bucket-name DNS on loopback
        "spark.hadoop.fs.s3a.connection.ssl.enabled": str(endpoint_url.startswith("https")).lower(),
    }
