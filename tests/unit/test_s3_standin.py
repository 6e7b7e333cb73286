"""The compose stack's S3 stand-in (cinelake/stack/s3_standin.py), as a process: what it holds
when stopped is there when it starts again, and a stop never leaves half a save."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

from cinelake.stack import s3_standin
from cinelake.stack.process import ServiceError
from tests.helpers.stack import PROJECT_ROOT, free_port

SERVE = "import sys; from pathlib import Path; from cinelake.stack import s3_standin; " \
        "s3_standin.serve('127.0.0.1', int(sys.argv[1]), Path(sys.argv[2]))"  # fmt: skip


def start(port: int, state: Path) -> tuple[subprocess.Popen, object]:
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port), str(state)], cwd=PROJECT_ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test-secret",
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            client.list_buckets()
            return server, client
        except botocore.exceptions.EndpointConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the stand-in did not start: {server.communicate()[0]}")
            time.sleep(0.2)


def stop(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGTERM)
    out, _ = server.communicate(timeout=60)
    assert server.returncode == 0, out
    return out


def test_a_stopped_stand_in_starts_again_with_its_buckets(tmp_path):
    state = tmp_path / "s3"
    port = free_port()
    server, client = start(port, state)
    try:
        client.create_bucket(Bucket="lake")
        for i in range(3):
            client.put_object(Bucket="lake", Key=f"bronze/part-{i}.parquet", Body=bytes([i]) * 4096)
        client.delete_object(Bucket="lake", Key="bronze/part-1.parquet")
    finally:
        said = stop(server)
    assert "1 bucket(s) saved" in said and (state / s3_standin.STATE_FILE).is_file()
    assert not list(state.glob(".*partial"))

    server, client = start(port, state)
    try:
        listed = client.list_objects_v2(Bucket="lake", Prefix="bronze/")
        assert [o["Key"] for o in listed["Contents"]] == [
            "bronze/part-0.parquet", "bronze/part-2.parquet"
        ]  # fmt: skip
        body = client.get_object(Bucket="lake", Key="bronze/part-2.parquet")["Body"].read()
        assert body == bytes([2]) * 4096
    finally:
        stop(server)


def test_a_save_cut_short_leaves_the_last_save(tmp_path, monkeypatch):
    """The save is written beside the last one and renamed over it only when whole."""
    (tmp_path / s3_standin.STATE_FILE).write_bytes(b"the last save")

    def cut_short(*_args, **_kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(s3_standin.pickle, "dump", cut_short)
    with pytest.raises(OSError):
        s3_standin.save(tmp_path)
    assert (tmp_path / s3_standin.STATE_FILE).read_bytes() == b"the last save"


def test_an_unreadable_save_is_one_error_not_an_empty_lake(tmp_path):
    (tmp_path / s3_standin.STATE_FILE).write_bytes(b"not a pickle")
    with pytest.raises(ServiceError, match="cannot read its saved buckets .*down -v"):
        s3_standin.load(tmp_path)
