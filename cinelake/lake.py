"""The lake: a root URL (a local path, or s3://bucket/prefix) and the bronze layout under it.

    <lake>/bronze/<source>/<table>/year=YYYY/month=MM/day=DD/<load id>.<file id>.parquet

The day is the load date (UTC, or CINELAKE_LOAD_DATE for backfills and tests). The same layout
string is given to dlt's filesystem destination and used here to find or replace a partition.
"""

from __future__ import annotations

import datetime as dt

import fsspec

from cinelake.config import load_settings

BRONZE = "bronze"
# dlt's filesystem layout placeholders; {YYYY}/{MM}/{DD} come from the load's current_datetime.
DLT_LAYOUT = "{table_name}/year={YYYY}/month={MM}/day={DD}/{load_id}.{file_id}.{ext}"


def load_date(pinned: dt.date | None) -> dt.date:
    """The partition day of this run: the pinned day (CINELAKE_LOAD_DATE), else today UTC."""
    return pinned or dt.datetime.now(dt.UTC).date()


def partition(day: dt.date) -> str:
    return f"year={day:%Y}/month={day:%m}/day={day:%d}"


def bronze_url(lake_url: str, source: str = "", table: str = "") -> str:
    return "/".join(part.rstrip("/") for part in (lake_url, BRONZE, source, table) if part)


def filesystem(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """The fsspec filesystem of a URL and the path inside it (s3 honours AWS_ENDPOINT_URL)."""
    options = {}
    if url.startswith("s3://") and (endpoint_url := load_settings().aws_endpoint_url):
        options["client_kwargs"] = {"endpoint_url": endpoint_url}
    return fsspec.core.url_to_fs(url, **options)


def remove_partition(lake_url: str, source: str, table: str, day: dt.date) -> int:
    """Delete one day of one bronze table; return the number of files removed."""
    fs, path = filesystem(f"{bronze_url(lake_url, source, table)}/{partition(day)}")
    if not fs.exists(path):
        return 0
    files = fs.find(path)
    fs.rm(path, recursive=True)
    return len(files)


def partition_files(lake_url: str, source: str, table: str, day: dt.date) -> list[str]:
    fs, path = filesystem(f"{bronze_url(lake_url, source, table)}/{partition(day)}")
    return sorted(fs.find(path)) if fs.exists(path) else []


def release_dataset_dir(lake_url: str, source: str) -> list[str]:
    """Free <bronze>/<source> for dlt when only Spark has been there.

    Registering bronze tables before their first ingestion makes Spark create empty table
    directories; dlt then refuses to create its dataset directory, which already exists.
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
