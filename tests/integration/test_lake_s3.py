"""The lake root as an S3 URL, against an S3-compatible server (moto) on loopback: ingestion
lands bronze Delta tables there, and Spark itself (S3A) reads them and writes a table there."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time

import boto3
import pytest
import s3fs
from deltalake import DeltaTable

from cinelake import lake
from cinelake.demo import csv_writer
from cinelake.demo.catalog import generate_titles
from tests.helpers.stack import BIN_DIR, Stack, free_port, running_stack, stack_env

pytestmark = pytest.mark.integration
BUCKET = "cinelake-test"
S3_SECRET = "fake-s3-secret-7f3a91c2"  # moto takes any key; this one is searched for in logs


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [str(BIN_DIR / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    for _ in range(100):
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("moto_server did not start")
    yield endpoint
    server.terminate()
    server.wait()


def s3_env(endpoint: str, secret: str) -> dict[str, str]:
    """Credentials and endpoint in the environment, the only place they are ever given."""
    return {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
        "DESTINATION__FILESYSTEM__CREDENTIALS__ENDPOINT_URL": endpoint,
    }


def test_csv_lands_in_s3_as_delta_tables(s3_endpoint, tmp_path):
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    entries = {}
    for layout in (csv_writer.MOVIES, csv_writer.SERIES):
        entries[layout.name] = csv_writer.write_csv(
            csv_dir / layout.name, generate_titles(4, layout.kind, 120), layout, 4
        )
    aws = s3_env(s3_endpoint, secret="test")
    stack = Stack(
        home=tmp_path / "home",
        env={
            **stack_env(tmp_path / "home"),
            **aws,
            "CINELAKE_LAKE_URL": f"s3://{BUCKET}/lake",
            "CINELAKE_CSV_MOVIES": str(csv_dir / "movies.csv"),
            "CINELAKE_CSV_SERIES": str(csv_dir / "series.csv"),
            "CINELAKE_LOAD_DATE": "2026-02-03",
        },
    )
    stack.cinelake("ingest", "csv")
    fs = s3fs.S3FileSystem(key="test", secret="test", client_kwargs={"endpoint_url": s3_endpoint})
    movies_url = f"s3://{BUCKET}/lake/bronze/csv/movies"
    options = {"AWS_ENDPOINT_URL": s3_endpoint, "AWS_ALLOW_HTTP": "true",
               "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
               "AWS_REGION": "us-east-1"}  # fmt: skip
    movies_table = DeltaTable(movies_url, storage_options=options)
    assert fs.ls(f"{BUCKET}/lake/bronze/csv/movies/_delta_log/")
    rows = movies_table.to_pyarrow_table(filters=lake.day_filters(dt.date(2026, 2, 3))).num_rows
    rejects = DeltaTable(f"s3://{BUCKET}/lake/bronze/csv/rejects", storage_options=options)
    rejects = rejects.to_pyarrow_table().num_rows
    movies, series = entries["movies.csv"], entries["series.csv"]
    lines_in = sum(e["data_lines"] + e["blank_lines"] for e in (movies, series))
    assert rows > 0 and rows + rejects <= lines_in
    report = json.loads((tmp_path / "home" / "runs" / "latest.json").read_text())
    movies_metric = next(m for m in report["tables"] if m["table"] == "movies")
    assert (
        rows
        == movies_metric["rows_landed"]
        == movies["data_lines"] + movies["blank_lines"] - movies_metric["rows_rejected"]
    )
    assert movies_metric["bytes"] > 0
    assert fs.ls(f"{BUCKET}/lake/bronze/ops/ingestion_runs/_delta_log/")
    # a re-run is idempotent on S3 as well: no new commit of movies
    version = movies_table.version()
    stack.cinelake("ingest", "csv")
    assert DeltaTable(movies_url, storage_options=options).version() == version


@pytest.fixture(scope="module")
def s3_stack(s3_endpoint, tmp_path_factory):
    """A stack whose lake is on the S3 stand-in: Spark (S3A) reads and writes it."""
    home = tmp_path_factory.mktemp("s3-stack")
    with running_stack(home, **s3_env(s3_endpoint, S3_SECRET), CINELAKE_LAKE_URL=f"s3://{BUCKET}/spark-lake",
                       CINELAKE_LOAD_DATE="2026-02-03") as started:  # fmt: skip
        yield started


def test_spark_reads_and_writes_the_s3_lake_over_s3a(s3_stack, s3_endpoint, tmp_path):
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    for layout in (csv_writer.MOVIES, csv_writer.SERIES):
        csv_writer.write_csv(csv_dir / layout.name, generate_titles(5, layout.kind, 80), layout, 5)
    s3_stack.env.update(CINELAKE_CSV_MOVIES=str(csv_dir / "movies.csv"),
                        CINELAKE_CSV_SERIES=str(csv_dir / "series.csv"))  # fmt: skip
    s3_stack.cinelake("ingest", "csv")
    lake = f"s3a://{BUCKET}/spark-lake"
    report = json.loads((s3_stack.home / "runs" / "latest.json").read_text())
    landed = next(m for m in report["tables"] if m["table"] == "movies")["rows_landed"]
    # Spark reads the bronze Delta table straight from S3...
    [(rows,)] = s3_stack.thrift_rows(f"select count(*) from delta.`{lake}/bronze/csv/movies`")
    assert rows == landed > 0
    # ...registers bronze there as dbt does (on-run-start's macro)...
    s3_stack.dbt("run-operation", "register_bronze_sources")
    [(registered,)] = s3_stack.thrift_rows("select count(*) from bronze.csv__movies")
    assert registered == landed
    # ...and writes a Delta table of its own there
    s3_stack.cinelake(
        "sql",
        f"create or replace table default.s3a_proof using delta location '{lake}/proof' "
        "as select _load_year, count(*) as titles from bronze.csv__movies group by _load_year",
    )
    fs = s3fs.S3FileSystem(key="test", secret="test", client_kwargs={"endpoint_url": s3_endpoint})
    assert fs.ls(f"{BUCKET}/spark-lake/proof/_delta_log/")
    assert s3_stack.thrift_rows("select sum(titles) from default.s3a_proof") == [(landed,)]
    logs = "\n".join(p.read_text(errors="replace") for p in s3_stack.home.rglob("*.log"))
    assert S3_SECRET not in logs  # credentials come from the environment only
