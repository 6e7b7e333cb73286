"""An isolated Cinelake stack for the integration tests, and the helpers that talk to it.

Every stack gets its own CINELAKE_HOME and free loopback ports, so the suite never collides
with a developer's running services, and it stops what it started at the end. The session
fixtures that start these stacks are in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pymysql
from pyhive import hive

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
# The main job's demo (conftest's main_job): the seed, as-of day and load day that
# test_transform's figures are of, the same every day.
MAIN_JOB_DEMO = {
    "CINELAKE_DEMO_SCALE": "0.05",
    "CINELAKE_DEMO_SEED": "11",
    "CINELAKE_DEMO_AS_OF": "2026-04-01",
    "CINELAKE_LOAD_DATE": "2026-04-01",
}
# The xdist group of the modules on the main job's stack (tests/conftest.py): one worker.
MAIN_STACK_GROUP = "main_stack"


# The test stacks' Spark JVMs use the JIT's quick tier only (C1): each lives minutes on a few
# thousand rows, where the optimizing tier (C2) costs more CPU than it saves, and on 2 cores the
# suite is CPU-bound. Measured on one selected build (118 nodes, SF 0.02, three stacks side by
# side): the Thrift JVM used 270 s of CPU by default and 203 s with these options. C1 alone
# sizes the code cache at 48 MB, which a long-lived server fills ("Out of space in CodeCache
# for adapters" failed a statement): hence 256 MB, about the default mode's 240. Users'
# stacks keep the JVM's defaults (CINELAKE_SPARK_JAVA_OPTIONS, docs/configuration.md).
TEST_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(home: Path) -> dict[str, str]:
    """Environment of an isolated stack: own state directory, own free ports."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CINELAKE_", "DBT_", "TMDB_"))}
    env.update(
        CINELAKE_HOME=str(home),
        CINELAKE_THRIFT_PORT=str(free_port()),
        CINELAKE_SPARK_UI_PORT=str(free_port()),
        CINELAKE_MYSQL_PORT=str(free_port()),
        CINELAKE_TMDB_PORT=str(free_port()),
        CINELAKE_SPARK_MASTER_PORT=str(free_port()),
        CINELAKE_SPARK_MASTER_UI_PORT=str(free_port()),
        CINELAKE_DBT_TARGET="ci",
        CINELAKE_SPARK_JAVA_OPTIONS=TEST_JAVA_OPTIONS,
        # Known fake secrets, so that tests can search every artifact for them.
        CINELAKE_TMDB_STANDIN_KEY=f"fake-tmdb-token-{secrets.token_hex(8)}",
        CINELAKE_PII_SALT=f"fake-pii-salt-{secrets.token_hex(8)}",
        DBT_PROFILES_DIR=str(PROJECT_ROOT / "profiles"),
        DBT_TARGET_PATH=str(home / "dbt-target"),
        DBT_LOG_PATH=str(home / "dbt-logs"),
        PATH=f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


@dataclass
class Stack:
    home: Path
    env: dict[str, str]

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command (cinelake, dbt, ...) from the project root against this stack."""
        result = subprocess.run(
            list(argv),
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(argv)} exited {result.returncode}\n"
                f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
            )
        return result

    def cinelake(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(str(BIN_DIR / "cinelake"), *args, check=check)

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(BIN_DIR / "dbt"), *args)

    def thrift_rows(self, sql: str) -> list[tuple]:
        """Rows of one statement run through this stack's Spark Thrift server."""
        with contextlib.closing(hive.connect(host="127.0.0.1", port=self.thrift_port)) as conn:
            cursor = conn.cursor()
            cursor.execute(sql)
            return cursor.fetchall()

    def mysql_rows(self, sql: str) -> list[tuple]:
        """Rows of one query on the shop database, as the read-only etl user."""
        conn = pymysql.connect(host="127.0.0.1", port=self.mysql_port, user="etl",
                               password="etl-dev", database="shop")  # fmt: skip
        with contextlib.closing(conn), conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    def standin(self, path: str, body: dict | None = None) -> dict:
        """GET a TMDB stand-in control path, or PUT `body` to it (faults): its JSON answer."""
        url = f"http://127.0.0.1:{self.tmdb_port}{path}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method="PUT" if data else "GET")
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    @property
    def thrift_port(self) -> int:
        return int(self.env["CINELAKE_THRIFT_PORT"])

    @property
    def mysql_port(self) -> int:
        return int(self.env["CINELAKE_MYSQL_PORT"])

    @property
    def tmdb_port(self) -> int:
        return int(self.env["CINELAKE_TMDB_PORT"])


@contextlib.contextmanager
def webhook(path: str = "/hook") -> Iterator[tuple[str, list[dict]]]:
    """A loopback Slack-compatible receiver: the URL to post to and the messages it got."""
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)  # any free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}", received
    finally:
        server.shutdown()
        server.server_close()


def minutes_per_customer(stack: Stack) -> tuple[dict[int, int], dict[int, int]]:
    """Minutes watched per customer, from the shop database (the silver validity rules
    written again in MySQL's SQL) and from gold.fct_viewing_sessions: they must be equal."""
    from_shop = stack.mysql_rows(
        """
        select s.customer_id, sum(s.minutes_watched)
        from viewing_sessions s
        join customers c on c.customer_id = s.customer_id
        join catalog_titles t on t.catalog_title_id = s.catalog_title_id
        where s.minutes_watched >= 0 and (s.rating is null or s.rating between 1 and 5)
        group by s.customer_id"""
    )
    from_gold = stack.thrift_rows(
        "select customer_id, sum(minutes_watched) from gold.fct_viewing_sessions group by 1"
    )
    return {k: int(v) for k, v in from_shop}, dict(from_gold)


def daily_run(stack: Stack, since: str) -> subprocess.CompletedProcess[str]:
    """The daily run's build (`cinelake build --daily`, as scripts/pipeline.sh runs it) after
    an ingestion: source freshness, then selectors.yml's daily against the state the last
    `cinelake build` kept, its row tests on the rows written after `since`; it must pass and
    skip nothing. The command keeps the state again."""
    build = stack.cinelake("build", "--daily", "--since", since, check=False)
    assert build.returncode == 0, build.stdout[-6000:]
    assert "ERROR=0" in build.stdout and "SKIP=0" in build.stdout, build.stdout[-3000:]
    return build


@contextlib.contextmanager
def running_stack(home: Path, **env: str) -> Iterator[Stack]:
    """`cinelake up` on an isolated stack in `home` (extra settings in `env`), `down` after."""
    started = Stack(home=home, env={**stack_env(home), **env})
    try:
        started.cinelake("up")
        yield started
    finally:
        started.cinelake("down", check=False)  # also after a half-successful `up`
