"""`down` stops exactly what `up` started; bad environments give one clear line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.stack import BIN_DIR, PROJECT_ROOT, Stack, stack_env

pytestmark = pytest.mark.integration


def pids(stack: Stack) -> list[int]:
    run_dir = stack.home / "run"
    return [int(p.read_text()) for p in sorted(run_dir.glob("*.pid"))]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_down_stops_every_process_it_started(tmp_path):
    # A home under a directory named "secrets": Spark answers `set <conf>` with
    # "*********(redacted)" for a value matching spark.redaction.regex, so `up` must know its
    # Thrift server by a value no path can spoil (spark_thrift.INSTANCE_CONF).
    home = tmp_path / "secrets" / "home"
    stack = Stack(home=home, env=stack_env(home))
    try:
        stack.cinelake("up")
        started = pids(stack)
        assert len(started) == 3 and all(alive(pid) for pid in started)
        # and dbt finds the lake (the registration logs where it looked), redacted or not
        registered = stack.dbt("run-operation", "register_bronze_sources").stdout
        assert f"over {home / 'lake'}/bronze checked" in registered, registered[-2000:]
        down = stack.cinelake("down").stdout
        assert down.count("stopped (pid") == 3
        assert not any(alive(pid) for pid in started)
        assert pids(stack) == []
        status = stack.cinelake("status", check=False)
        assert status.returncode == 3 and status.stdout.count("stopped") == 3
        assert "was not running" in stack.cinelake("down").stdout  # down twice is harmless
    finally:
        stack.cinelake("down", check=False)


def test_with_a_real_tmdb_token_the_stand_in_is_not_used(tmp_path):
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    stack.env["TMDB_ACCESS_TOKEN"] = "a-real-token"
    status = stack.cinelake("status", check=False).stdout
    assert "tmdb-standin    not used: TMDB_ACCESS_TOKEN is set, the real API is used" in status


def test_a_v3_tmdb_api_key_is_refused_with_the_way_out(tmp_path):
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    stack.env["TMDB_API_KEY"] = "a-v3-key-in-every-url"
    result = stack.cinelake("status", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "set TMDB_ACCESS_TOKEN" in result.stderr
    assert "a-v3-key-in-every-url" not in result.stderr


def assert_one_clear_error(result, *needles: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("cinelake: error: "), result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_taken_port_is_named_with_the_way_out(tmp_path):
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", stack.mysql_port))
        squatter.listen()
        result = stack.cinelake("up", check=False)
    assert_one_clear_error(result, f"port {stack.mysql_port}", "CINELAKE_MYSQL_PORT")
    assert pids(stack) == []  # nothing half-started


def test_missing_java_is_a_clear_error_before_anything_starts(tmp_path):
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    stack.env.update(JAVA_HOME=str(tmp_path / "no-java"))
    result = stack.cinelake("up", check=False)
    assert_one_clear_error(result, "Java 17", "openjdk-17-jre-headless")
    assert not (tmp_path / "run").exists() or pids(stack) == []


def test_missing_mariadb_is_a_clear_error(tmp_path):
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    (tmp_path / "empty-bin").mkdir()
    stack.env.update(CINELAKE_MARIADB_BINDIR=str(tmp_path / "empty-bin"))
    result = stack.cinelake("up", check=False)
    assert_one_clear_error(result, "mariadbd", "apt-get install mariadb-server")


def test_demo_data_without_mysql_fails_clearly_and_writes_nothing(tmp_path):
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    result = stack.cinelake("demo-data", "--scale", "0.01", check=False)
    assert_one_clear_error(result, "cannot reach the shop database", "cinelake up")
    assert not (tmp_path / "demo" / "manifest.json").exists()
    assert not list((tmp_path / "demo").glob("**/*.csv"))


def test_a_metastore_killed_mid_build_fails_the_build_within_a_minute_never_hangs(tmp_path):
    """Every statement of Spark reads the catalog (the Hive metastore in MariaDB); with
    MariaDB gone, dbt hung for minutes per model, `status` on the Thrift line and `sql` past
    90 s, as Hive retried each call 10 times, 2 s apart, inside 10 retries. Now: seconds."""
    stack = Stack(home=tmp_path, env=stack_env(tmp_path))
    try:
        stack.cinelake("up")
        mariadb = int((tmp_path / "run" / "mariadb.pid").read_text())
        build = subprocess.Popen(
            [str(BIN_DIR / "dbt"), "build", "--select", "+stg_reference__genres"],
            cwd=PROJECT_ROOT, env=stack.env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        output = []
        for line in build.stdout:  # the build has started its first node: the catalog dies
            output.append(line)
            if " START " in line:
                os.kill(mariadb, signal.SIGKILL)
                killed = time.monotonic()
                break
        else:
            pytest.fail("dbt started no node:\n" + "".join(output))
        output += build.stdout.readlines()
        build.wait(timeout=300)
        seconds = time.monotonic() - killed
        text = "".join(output)
        assert build.returncode != 0 and "MetaException" in text, text[-3000:]
        assert seconds < 60, f"the build took {seconds:.0f} s to fail after the kill"

        began = time.monotonic()
        status = stack.cinelake("status", check=False)
        assert time.monotonic() - began < 10
        assert status.returncode == 3 and "stopped" in status.stdout.splitlines()[0]

        began = time.monotonic()
        result = stack.cinelake("sql", "show tables in silver", check=False)
        assert time.monotonic() - began < 30
        assert_one_clear_error(result, "Spark's catalog (the Hive metastore in MariaDB")
        assert len(result.stderr.strip().splitlines()) == 1
    finally:
        stack.cinelake("down", check=False)
