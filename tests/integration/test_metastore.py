"""The catalog in MariaDB: the Thrift server and a second Spark JVM (the `session` dbt target)
share it at the same time, a view with very long SQL is stored whole, the password is in no
command line, log or conf dump, and `down`/`up` keeps every table."""

from __future__ import annotations

import contextlib
import re
import urllib.request
from pathlib import Path

import pymysql
import pytest

from cinelake.stack import metastore, spark_jars
from tests.helpers.stack import Stack, running_stack

pytestmark = pytest.mark.integration

GOLD_TABLE = "gold.dim_genre"  # built from the seeds alone: rows even with an empty lake
LONG_VIEW = "gold.probe_long_view"
BRANCHES = 800  # about 50 KB of SQL: Derby's LONG VARCHAR of the view text stopped at 32 KB


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Stack:
    """Its own stack: the last test stops and starts it."""
    with running_stack(tmp_path_factory.mktemp("metastore")) as started:
        # Every seed and model, before any ingestion (as a new user may): bronze registers
        # empty placeholders, incremental models build empty, and the catalog gets every
        # kind of relation. Their data tests are other modules' business.
        first = started.dbt("build", "--resource-type", "seed", "--resource-type", "model")
        assert "ERROR=0" in first.stdout and "SKIP=0" in first.stdout
        assert "not landed yet: empty placeholder" in first.stdout
        yield started


def label(i: int) -> str:
    """Long enough to make the view text long, and not all Latin-1 (stored as Unicode)."""
    return f"a label of the long view → número {i:04d}, 東京"


def long_view_sql() -> str:
    branches = "\n".join(f"        when {i} then '{label(i)}'" for i in range(BRANCHES))
    return (
        f"create or replace view {LONG_VIEW} as\nselect genre_key, case ordinal\n{branches}\n"
        f"        else 'other' end as label\nfrom (select genre_key, row_number() over "
        f"(order by genre_key) - 1 as ordinal from {GOLD_TABLE})"
    )


def password(stack: Stack) -> str:
    return (stack.home / "secrets" / "metastore_password").read_text().strip()


def metastore_rows(stack: Stack, sql: str) -> list[tuple]:
    """Rows of one query on the metastore database, as its own user."""
    conn = pymysql.connect(host="127.0.0.1", port=stack.mysql_port, user=metastore.USER,
                           password=password(stack), database=metastore.DATABASE)  # fmt: skip
    with contextlib.closing(conn), conn.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


@pytest.fixture(scope="module")
def long_view(stack) -> int:
    sql = long_view_sql()
    assert len(sql) > 40_000
    stack.thrift_rows(sql)
    return len(sql)


def test_a_view_with_very_long_sql_is_stored_whole_and_answers(stack, long_view):
    genres = stack.thrift_rows(f"select count(*) from {GOLD_TABLE}")[0][0]
    labelled = stack.thrift_rows(f"select count(*) from {LONG_VIEW} where label like 'a label%'")
    assert genres > 0 and labelled == [(min(genres, BRANCHES),)]
    first = stack.thrift_rows(f"select label from {LONG_VIEW} order by genre_key limit 1")
    assert first == [(label(0),)]
    stored = metastore_rows(
        stack, "select VIEW_ORIGINAL_TEXT from TBLS where TBL_NAME = 'probe_long_view'"
    )
    assert len(stored[0][0]) > 40_000 and label(BRANCHES - 1) in stored[0][0]


def test_a_second_spark_session_shares_the_catalog_with_the_running_server(stack, long_view):
    """The `session` dbt target (Spark inside the dbt process) reads a gold table and the long
    view that the Thrift server built, while the server keeps running."""
    env = {"CINELAKE_DBT_TARGET": "session", "CINELAKE_SPARK_JARS_DIR": str(spark_jars.jar_dir())}
    session = Stack(home=stack.home, env={**stack.env, **env})
    query = (
        f"select (select count(*) from {GOLD_TABLE}) as genres, "
        f"(select count(*) from {LONG_VIEW}) as view_rows"
    )
    shown = session.dbt("show", "--inline", query).stdout
    row = re.search(r"^\|\s*(\d+)\s*\|\s*(\d+)\s*\|$", shown, re.M)
    assert row, shown
    genres = stack.thrift_rows(f"select count(*) from {GOLD_TABLE}")[0][0]
    assert (int(row.group(1)), int(row.group(2))) == (genres, genres)
    assert stack.thrift_rows("select 1") == [(1,)]  # the server still answers


def test_the_password_is_in_no_command_line_log_or_conf_dump(stack, long_view):
    secret = password(stack)
    site = stack.home / "spark" / "conf" / "hive-site.xml"
    assert secret in site.read_text() and site.stat().st_mode & 0o777 == 0o600
    pid = (stack.home / "run" / "spark-thrift.pid").read_text().strip()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    places = {"command line": cmdline}
    for path in [*(stack.home / "logs").glob("*"), *(stack.home / "dbt-logs").rglob("*")]:
        if path.is_file():
            places[str(path)] = path.read_text(errors="replace")
    for path in (stack.home / "dbt-target").rglob("*"):
        if path.is_file():
            places[str(path)] = path.read_text(errors="replace")
    ui = f"http://127.0.0.1:{stack.env['CINELAKE_SPARK_UI_PORT']}/environment/"
    with urllib.request.urlopen(ui) as page:
        places["Spark UI environment"] = page.read().decode()
    assert "javax.jdo.option.ConnectionPassword" in places["Spark UI environment"]
    for statement in ("set -v", "set", "set javax.jdo.option.ConnectionPassword"):
        places[statement] = repr(stack.thrift_rows(statement))
    assert [where for where, text in places.items() if secret in text] == []


def test_down_and_up_keep_every_table(stack, long_view):
    def tables() -> set[tuple[str, str]]:
        found = set()
        for (schema,) in stack.thrift_rows("show schemas"):
            found |= {(schema, row[1]) for row in stack.thrift_rows(f"show tables in {schema}")}
        return found

    before = tables()
    assert {("gold", "dim_genre"), ("gold", "probe_long_view")} <= before
    assert {("silver", "stg_shop__viewing_sessions"), ("gold", "fct_viewing_sessions")} <= before
    rows = stack.thrift_rows(f"select count(*) from {LONG_VIEW}")
    stack.cinelake("down")
    stack.cinelake("up")
    assert tables() == before
    assert stack.thrift_rows(f"select count(*) from {LONG_VIEW}") == rows
