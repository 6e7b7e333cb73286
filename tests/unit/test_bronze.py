"""Bronze's Delta landing without services: the stored schema, the load-date stamp, the day
predicate, and a load that is committed once even when its job runs twice."""

from __future__ import annotations

import datetime as dt

import dlt
import pyarrow as pa
import pytest
from deltalake import DeltaTable
from dlt.common.storages.load_package import PackageStorage

from cinelake import lake
from cinelake.ingest import bronze


def test_bronze_schema_is_nullable_with_utc_timestamps():
    schema = pa.schema([pa.field("id", pa.int32(), nullable=False),
                        pa.field("updated_at", pa.timestamp("us"), nullable=False),
                        pa.field("_loaded_at", pa.timestamp("us", tz="UTC"))])  # fmt: skip
    stored = bronze.bronze_schema(schema)
    assert all(field.nullable for field in stored)
    assert stored.field("id").type == pa.int32()
    assert stored.field("updated_at").type == pa.timestamp("us", tz="UTC")


def test_stamp_adds_int_partition_columns_to_arrow_and_dict_items():
    day = dt.date(2026, 3, 1)
    add = bronze.stamp_load_date(day)
    stamped = add(pa.table({"x": [1, 2]}))
    assert stamped.column_names == ["x", "_load_year", "_load_month", "_load_day"]
    assert stamped.schema.field("_load_month").type == pa.int32()
    assert stamped["_load_day"].to_pylist() == [1, 1]
    assert add({"x": 1}) == {"x": 1, "_load_year": 2026, "_load_month": 3, "_load_day": 1}
    # a source's own year, month and day are not the load date's: they keep their values
    own = {"year": 1999, "month": None, "day": 31}
    assert add(own) == {**own, "_load_year": 2026, "_load_month": 3, "_load_day": 1}
    assert add(pa.table({k: [v] for k, v in own.items()}))["year"].to_pylist() == [1999]


def test_stamp_refuses_a_row_that_already_has_a_partition_column():
    add = bronze.stamp_load_date(dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match="_load_day"):
        add({"_load_day": 7})
    with pytest.raises(ValueError, match="_load_year"):
        add(pa.table({"_load_year": [7]}))


def test_reserved_collisions_names_source_columns_bronze_would_overwrite():
    columns = ["year", "month", "day", "_load_year", "_Load Day", "_dlt_id", "_loaded_at", "x"]
    assert lake.reserved_collisions(columns) == ["_load_year", "_Load Day", "_dlt_id", "_loaded_at"]


def test_day_predicate_names_each_day():
    assert lake.day_predicate({(2026, 3, 1)}) == (
        "(_load_year = 2026 AND _load_month = 3 AND _load_day = 1)"
    )
    assert " OR " in lake.day_predicate({(2026, 3, 1), (2026, 3, 2)})


def test_load_versions_grow_with_load_ids():
    assert bronze.load_version("1763862000.5") < bronze.load_version("1763862000.6543219")


def run_pipeline(tmp_path, rows: list[dict], day_snapshot: bool, day: dt.date) -> str:
    @dlt.resource(name="things", write_disposition="append")
    def things():
        yield rows

    source = bronze.prepare(dlt.source(name="demo")(lambda: things)(), day, day_snapshot)
    pipeline = dlt.pipeline(pipeline_name="bronze_unit", pipelines_dir=str(tmp_path / "dlt"),
                            destination=bronze.destination(str(tmp_path / "lake")),
                            dataset_name="demo")  # fmt: skip
    info = pipeline.run(source)
    return info.loads_ids[-1]


def test_a_load_is_committed_once_and_a_day_snapshot_replaces_its_day(tmp_path):
    url = str(tmp_path / "lake" / "bronze" / "demo" / "things")
    day1, day2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    run_pipeline(tmp_path, [{"id": 1}, {"id": 2}], True, day1)
    run_pipeline(tmp_path, [{"id": 3}], True, day2)
    load_id = run_pipeline(tmp_path, [{"id": 4}], True, day1)  # day 1 again: replaced
    table = DeltaTable(url)
    assert sorted(table.to_pyarrow_table()["id"].to_pylist()) == [3, 4]
    assert table.schema().to_arrow().field("_load_year").type == pa.int32()
    assert bronze.committed_version(table) == bronze.load_version(load_id)
    assert lake.committed_bytes(url, load_id) > 0

    # the package put back as if killed after its commits, before dlt recorded its jobs done
    pipeline = dlt.pipeline(pipeline_name="bronze_unit", pipelines_dir=str(tmp_path / "dlt"),
                            destination=bronze.destination(str(tmp_path / "lake")))  # fmt: skip
    load_dir = tmp_path / "dlt" / "bronze_unit" / "load"
    package = load_dir / "normalized" / load_id
    (load_dir / "loaded" / load_id).rename(package)
    (package / PackageStorage.PACKAGE_COMPLETED_FILE_NAME).unlink()
    for job in (package / "completed_jobs").iterdir():
        job.rename(package / "new_jobs" / job.name)
    version = table.version()
    pipeline.load()
    assert DeltaTable(url).version() == version  # nothing committed again
    assert sorted(DeltaTable(url).to_pyarrow_table()["id"].to_pylist()) == [3, 4]


@pytest.mark.parametrize("url", ["/tmp/lake", "s3://bucket/lake"])
def test_spark_names_s3_lakes_s3a(url):
    assert lake.spark_url(url).startswith("s3a://") == url.startswith("s3://")
    assert lake.spark_s3a_confs(url, "http://127.0.0.1:9000") == (
        {} if not url.startswith("s3://") else {
            "spark.hadoop.fs.s3a.endpoint": "http://127.0.0.1:9000",
            "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
        }
    )  # fmt: skip


def test_a_legacy_table_is_rewritten_once_with_the_new_partition_columns(tmp_path):
    from deltalake import write_deltalake

    url = str(tmp_path / "bronze" / "demo" / "legacy")
    int32 = pa.int32()
    rows = pa.table({"id": [1, 2], "year": pa.array([2026, 2026], int32),
                     "month": pa.array([3, 3], int32), "day": pa.array([1, 2], int32)})  # fmt: skip
    write_deltalake(url, rows, partition_by=["year", "month", "day"])
    assert lake.migrate_legacy_partitions(url)
    table = DeltaTable(url)
    assert table.metadata().partition_columns == list(lake.PARTITION_COLUMNS)
    data = table.to_pyarrow_table().sort_by("id")
    assert data.column_names == ["id", *lake.PARTITION_COLUMNS]
    assert data["_load_day"].to_pylist() == [1, 2]
    assert not lake.migrate_legacy_partitions(url)  # once: the new layout is left alone
    lake.append(url, lake.stamp(pa.table({"id": [3]}), dt.date(2026, 3, 3)))
    assert (
        DeltaTable(url).to_pyarrow_table(filters=lake.day_filters(dt.date(2026, 3, 3))).num_rows
        == 1
    )
