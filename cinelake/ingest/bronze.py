"""Bronze as Delta tables, written through dlt's filesystem destination: crash-safe landing.

Why Delta (and not files moved into place per partition): a Delta table is its commit log, so
each table's load is one atomic commit. Files a crashed write leaves behind are referenced by no
commit, and Spark and deltalake read only committed files: a table is as it was before a load
or as it is after it, never partial. One commit can also remove and add files, which makes the
TMDB day swap (drop the day, write the day) atomic. dlt's `table_format="delta"` does the
writing: extract and normalize stage Parquet files in the load package, and the load step feeds
each table's files to delta-rs in one followup job per table, so one commit per table per load.

What dlt's Delta job does not do, `BronzeDeltaJob` adds:
- **Exactly once.** A job killed after its commit but before dlt recorded it as done is run
  again when the package is finished (see `recover.finish_pending`), and a plain append would
  land the rows twice. Every commit therefore carries Delta's idempotent-write marker, a `txn`
  action (app id INGEST_APP_ID, version = the dlt load id as an integer), and the job first asks
  the table for that app's latest version: a load at or below it is already in the table, and
  the job does nothing. (One writer per table, packages finished in order: load ids only grow.)
- **Day snapshots.** A table hinted DAY_SNAPSHOT_HINT (TMDB) replaces the load day's
  partition: a Delta overwrite with a predicate on the load-date columns, one commit that
  removes the day's old files and adds the new ones (readers see the old day or the new one).
- **The partition columns.** Every table is partitioned by the load date's `_load_year`,
  `_load_month`, `_load_day` (stamped on each row by `stamp_load_date`), not by dlt's partition
  hints; names no source plausibly has, and a row that has one is refused, never overwritten.
  A table of the legacy layout (`year`, `month`, `day`) is rewritten once before its next load.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import pyarrow as pa
from dlt.destinations.impl.filesystem.factory import filesystem
from dlt.destinations.impl.filesystem.filesystem import DeltaLoadFilesystemJob, FilesystemClient

from cinelake import lake
from cinelake.ingest import crash

log = logging.getLogger(__name__)

# Arrow tables are written as they are; dlt's own lineage column is added to them too. Given to
# dlt in code around a package's extract and normalize (dlt reads it at extract), never set
# in the process's environment; NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID still overrides.
DLT_CONFIG = {"normalize.parquet_normalizer.add_dlt_load_id": True}
# A table hint (dlt keeps x- hints in the table schema): the table is a daily snapshot.
DAY_SNAPSHOT_HINT = "x-cinelake-day-snapshot"
# Column hints of the stamped partition columns: int32 for dict rows too (Spark's `int`).
PARTITION_HINTS = {
    name: {"name": name, "data_type": "bigint", "precision": 32, "nullable": False}
    for name in lake.PARTITION_COLUMNS
}


def load_version(load_id: str) -> int:
    """A dlt load id ("1763862000.123456", a time) as the integer Delta's txn action takes."""
    return int(Decimal(load_id) * 1_000_000)


def committed_version(table: Any) -> int:
    """The latest load ingestion committed to a Delta table (-1: none)."""
    version = table.transaction_version(lake.INGEST_APP_ID)
    return -1 if version is None else version


def bronze_schema(schema: pa.Schema) -> pa.Schema:
    """The schema bronze stores: every column nullable, naive timestamps as UTC.

    Nullable: a source's NOT NULL is its promise, not ours (silver checks it), and a non-null
    column would make a Delta table need the `invariants` writer feature, which delta-rs does
    not declare in the protocol and Spark then refuses to read. UTC: the sources' naive times
    are UTC (MySQL runs with time zone +00:00), and a naive Arrow timestamp would become Delta's
    `timestamp_ntz` where every model and contract expects `timestamp`.
    """
    fields = []
    for field in schema:
        if pa.types.is_timestamp(field.type) and field.type.tz is None:
            field = field.with_type(pa.timestamp(field.type.unit, tz="UTC"))
        fields.append(field.with_nullable(True))
    return pa.schema(fields, metadata=schema.metadata)


class BronzeDeltaJob(DeltaLoadFilesystemJob):
    """dlt's Delta load job, made idempotent and partition-aware (see the module docstring)."""

    def run(self) -> None:
        from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake
        from dlt.common.libs.deltalake import (
            deltalake_storage_options,
            ensure_delta_compatible_arrow_data,
        )
        from dlt.common.libs.pyarrow import get_local_dataset_reader

        config = self._job_client.config
        options = deltalake_storage_options(config.credentials, config.deltalake_storage_options)
        location = self._job_client.get_open_table_location("delta", self.load_table_name)
        table = (
            DeltaTable(location, storage_options=options)
            if DeltaTable.is_deltatable(location, options)
            else None
        )
        version = load_version(self._load_id)
        if table is not None and committed_version(table) >= version:
            log.warning("%s: load %s is already committed (version %d); not written again",
                        self.load_table_name, self._load_id, table.version())  # fmt: skip
            return
        commit = CommitProperties(
            custom_metadata={lake.LOAD_ID_METADATA: self._load_id},
            app_transactions=[Transaction(lake.INGEST_APP_ID, version)],
        )
        where = f"{self._job_client.dataset_name}.{self.load_table_name}"
        crash.point(f"load:{where}")
        if table is not None and lake.migrate_legacy_partitions(location):
            log.warning("%s: rewritten once with the load-date partitions %s (were year, month, "
                        "day)", where, ", ".join(lake.PARTITION_COLUMNS))  # fmt: skip
            table = DeltaTable(location, storage_options=options)
        partitions = list(lake.PARTITION_COLUMNS)
        with get_local_dataset_reader(self.file_paths) as reader:
            data = ensure_delta_compatible_arrow_data(reader, partitions)
            data = data.cast(bronze_schema(data.schema))
            if table is not None and self._load_table.get(DAY_SNAPSHOT_HINT):
                write_deltalake(table, data, mode="overwrite", predicate=self._days_predicate(),
                                schema_mode="merge", commit_properties=commit)  # fmt: skip
            else:
                write_deltalake(table if table is not None else location, data, mode="append",
                                partition_by=partitions, schema_mode="merge",
                                storage_options=options, commit_properties=commit)  # fmt: skip
        crash.point(f"commit:{where}")
        log.info("%s: load %s committed", where, self._load_id)

    def _days_predicate(self) -> str:
        import pyarrow.dataset as ds

        days = ds.dataset(self.file_paths).to_table(columns=list(lake.PARTITION_COLUMNS))
        return lake.day_predicate(set(zip(*(days[c].to_pylist() for c in lake.PARTITION_COLUMNS),
                                          strict=True)))  # fmt: skip


class BronzeClient(FilesystemClient):
    @staticmethod
    def get_reference_followup_job_class(table):  # noqa: ANN001, ANN205 - dlt's signature
        if table.get("table_format") == "delta":
            return BronzeDeltaJob
        return FilesystemClient.get_reference_followup_job_class(table)


class bronze_filesystem(filesystem):  # noqa: N801 - dlt names destination factories in lowercase
    """dlt's filesystem destination whose Delta tables load through BronzeDeltaJob."""

    @property
    def client_class(self) -> type[FilesystemClient]:
        return BronzeClient


def destination(lake_url: str) -> bronze_filesystem:
    return bronze_filesystem(
        # dlt's config sections stay `destination.filesystem` (DESTINATION__FILESYSTEM__...)
        destination_name="filesystem",
        bucket_url=lake.bronze_url(lake_url),
        deltalake_storage_options=lake.delta_storage_options(lake_url),
    )


def stamp_load_date(day: dt.date):
    """A dlt map adding the load date's partition columns to every item (Arrow or dicts)."""
    values = lake.partition_values(day)

    def add(item: Any) -> Any:
        if isinstance(item, pa.Table):
            return lake.stamp(item, day)
        if isinstance(item, pa.RecordBatch):
            return lake.stamp(pa.Table.from_batches([item]), day)
        if isinstance(item, dict):
            if clash := [c for c in values if c in item]:
                raise ValueError(f"columns {clash} are bronze's load-date partition columns")
            return {**item, **values}
        return item

    return add


def prepare(source: Any, day: dt.date, day_snapshot: bool) -> Any:
    """Every resource of `source` lands as a Delta table stamped with the load date."""
    for resource in source.resources.values():
        resource.add_map(stamp_load_date(day))
        hints: dict[str, Any] = {"table_format": "delta", "columns": PARTITION_HINTS}
        if day_snapshot:
            hints["additional_table_hints"] = {DAY_SNAPSHOT_HINT: True}
        resource.apply_hints(**hints)
    return source
