"""The lake root as an S3 URL, against an S3-compatible server (moto) on loopback."""

from __future__ import annotations

import json
import subprocess
import time

import boto3
import pyarrow.parquet as pq
import pytest
import s3fs
from conftest import BIN_DIR, Stack, free_port, stack_env

from cinelake.demo import csv_writer
from cinelake.demo.catalog import generate_titles

pytestmark = pytest.mark.integration
BUCKET = "cinelake-test"


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


def test_csv_lands_in_s3_with_the_same_layout(s3_endpoint, tmp_path):
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    entries = {}
    for layout in (csv_writer.MOVIES, csv_writer.SERIES):
        entries[layout.name] = csv_writer.write_csv(
            csv_dir / layout.name, generate_titles(4, layout.kind, 120), layout, 4
        )
    aws = {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "DESTINATION__FILESYSTEM__CREDENTIALS__ENDPOINT_URL": s3_endpoint,
    }
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
    prefix = f"{BUCKET}/lake/bronze/csv/movies/year=2026/month=02/day=03/"
    files = fs.ls(prefix)
    assert files and all(f.endswith(".parquet") for f in files)
    rows = sum(pq.ParquetFile(fs.open(f)).metadata.num_rows for f in files)
    rejects = sum(
        pq.ParquetFile(fs.open(f)).metadata.num_rows
        for f in fs.find(f"{BUCKET}/lake/bronze/csv/rejects/")
    )
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
    assert fs.ls(f"{BUCKET}/lake/bronze/ops/ingestion_runs/year=2026/month=02/day=03/")
    # a re-run is idempotent on S3 as well
    stack.cinelake("ingest", "csv")
    assert fs.ls(prefix) == files
