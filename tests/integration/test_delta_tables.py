"""Silver and gold as Delta tables, on a stack of their own (the crash test kills its Thrift
server): a rebuild is an atomic replace for a reader polling it and for a session opened
before it; a Thrift server killed mid-build leaves every table at its previous or its new
content, and the next build is green; descriptions are in the catalog; the contract's
constraints stop a violating row before it is published; `cinelake maintain` compacts and
vacuums. One demo and one stack for the whole module, each test building on the last."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from pyhive import hive

from cinelake.ops import spark_cost
from tests.helpers import warehouse_equality
from tests.helpers.stack import BIN_DIR, PROJECT_ROOT, Stack, running_stack

pytestmark = pytest.mark.integration

AS_OF = "2026-04-01"
# dbt-spark runs `drop table` then `create table` for a Parquet rebuild; on Delta it must not.
DROP = "drop table if exists"


def on_day(stack: Stack, load_date: str) -> Stack:
    return Stack(home=stack.home, env={**stack.env, "CINELAKE_LOAD_DATE": load_date})


def delta_tables(stack: Stack) -> list[str]:
    """Every Delta table of silver and gold (not the base_ views, not the Parquet seeds)."""
    with warehouse_equality.connect(stack.thrift_port) as conn:
        return warehouse_equality.delta_tables(conn.cursor())


def fingerprints(stack: Stack, tables: list[str]) -> dict[str, tuple]:
    """Row count and an order-free hash sum of each table: equal fingerprints, equal content."""
    conn = hive.connect(host="127.0.0.1", port=stack.thrift_port)
    with contextlib.closing(conn):
        cursor = conn.cursor()
        found = {}
        for table in tables:
            cursor.execute(f"select count(*), sum(cast(hash(*) as bigint)) from {table}")
            found[table] = tuple(cursor.fetchall()[0])
        return found


def dbt_failing(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return stack.run(str(BIN_DIR / "dbt"), *args, check=False)


def detail(stack: Stack, table: str) -> dict:
    """`describe detail` of a Delta table, by column name."""
    conn = hive.connect(host="127.0.0.1", port=stack.thrift_port)
    with contextlib.closing(conn):
        cursor = conn.cursor()
        cursor.execute(f"describe detail {table}")
        names = [d[0].split(".")[-1] for d in cursor.description]
        return dict(zip(names, cursor.fetchall()[0], strict=True))


def data_files(stack: Stack, table: str) -> int:
    """Data files on disk under a table's folder (not its _delta_log)."""
    schema, name = table.split(".")
    folder = stack.home / "spark" / "warehouse" / f"{schema}.db" / name
    return sum(1 for f in folder.rglob("*.parquet") if "_delta_log" not in f.parts)


def version(cursor, table: str) -> int:
    cursor.execute(f"describe history {table} limit 1")
    return cursor.fetchall()[0][0]


# The tables the tests read or rebuild, with everything upstream: 31 of the 61 models (silver
# and gold; views, tables, incremental and partitioned; no seed reaches them). A build costs per
# statement, not per row: the 30 other models (marts, bridges, quarantines, ops) would add
# minutes and prove nothing more about Delta.
LAKE_BUILD = ("+fct_viewing_sessions", "+dim_title", "+fct_payments", "+horror_top_titles_yearly")


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("delta")) as stack:
        stack.cinelake("demo-data", "--scale", "0.05", "--seed", "7", "--as-of", AS_OF)
        on_day(stack, AS_OF).cinelake("ingest", "all")
        # models only: their data tests are test_transform's
        first = stack.dbt("run", "--select", *LAKE_BUILD)
        assert "ERROR=0" in first.stdout
        yield stack


def test_silver_and_gold_are_delta_tables_with_their_descriptions(lake):
    tables = delta_tables(lake)
    assert {"silver.stg_shop__viewing_sessions", "gold.dim_title", "gold.fct_payments"} <= set(
        tables
    )
    described = dict(
        (row[0], row[1]) for row in lake.thrift_rows("describe table extended gold.dim_title")
    )
    assert described["Provider"] == "delta"
    assert described["Comment"].startswith("One row per durable title key")
    columns = {row[0]: row[2] for row in lake.thrift_rows("describe gold.fct_viewing_sessions")}
    assert columns["customer_key"] == "Surrogate key of the customer version (dim_customer)."
    # an apostrophe and a doc() block survive the comment SQL
    [(comment,)] = [
        (row[1],)
        for row in lake.thrift_rows("describe table extended gold.horror_top_titles_yearly")
        if row[0] == "Comment"
    ]
    assert "Seed 002's question" in comment
    # a view's columns carry theirs too (create or replace view v (col comment ...))
    view = {row[0]: row[2] for row in lake.thrift_rows("describe silver.base_csv__movies")}
    assert any(view.values())


def test_a_rebuild_never_hides_a_table_and_open_sessions_see_the_new_version(lake):
    gold = [t for t in delta_tables(lake) if t.startswith("gold.")]
    # a session opened before the rebuild, as a BI tool keeps one
    before_conn = hive.connect(host="127.0.0.1", port=lake.thrift_port)
    open_session = before_conn.cursor()
    open_session.execute("select count(*) from gold.fct_viewing_sessions")
    [(sessions_before,)] = open_session.fetchall()
    version_before = version(open_session, "gold.fct_viewing_sessions")
    # one more day of sessions, so that the rebuild changes the fact
    lake.cinelake("demo-data", "--advance-day")
    on_day(lake, "2026-04-02").cinelake("ingest", "shop")
    lake.dbt("run", "--select", "stg_shop__viewing_sessions")

    failures: list[str] = []
    rounds = [0]
    done = threading.Event()

    def poll() -> None:
        conn = hive.connect(host="127.0.0.1", port=lake.thrift_port)
        with contextlib.closing(conn):
            cursor = conn.cursor()
            while not done.is_set():
                for table in gold:
                    try:
                        cursor.execute(f"select count(*) from {table}")
                        if cursor.fetchall()[0][0] == 0:
                            failures.append(f"{table}: 0 rows")
                    except Exception as exc:  # noqa: BLE001 - any error is the finding
                        failures.append(f"{table}: {str(exc)[:300]}")
                rounds[0] += 1

    dbt_log = lake.home / "dbt-logs" / "dbt.log"
    log_before = dbt_log.stat().st_size
    poller = threading.Thread(target=poll)
    poller.start()
    try:
        # three gold tables (a partitioned fact, a dimension, a fact with contracts), while
        # the poller reads every gold table
        rebuild = lake.dbt("run", "--select", "fct_viewing_sessions", "dim_title", "fct_payments",
                           "--full-refresh")  # fmt: skip
    finally:
        done.set()
        poller.join()
    assert "ERROR=0" in rebuild.stdout
    assert rounds[0] >= 2  # the poller really ran during the rebuild
    assert failures == []
    with dbt_log.open() as log:
        log.seek(log_before)
        ran = log.read()
    assert "create or replace table gold.dim_title" in ran and DROP not in ran

    with contextlib.closing(before_conn):
        open_session.execute("select count(*) from gold.fct_viewing_sessions")
        [(sessions_after,)] = open_session.fetchall()
        [(fresh,)] = lake.thrift_rows("select count(*) from gold.fct_viewing_sessions")
        assert sessions_after == fresh > sessions_before
        assert version(open_session, "gold.fct_viewing_sessions") > version_before
        # time travel: the version before the rebuild is still readable, as it was
        open_session.execute(
            f"select count(*) from gold.fct_viewing_sessions version as of {version_before}"
        )
        assert open_session.fetchall() == [(sessions_before,)]


def test_a_constraint_violation_fails_the_build_and_publishes_nothing(lake):
    """A row that breaks a contract constraint (here forged into silver, bypassing the
    quarantine: only a bug of ours can produce it) fails the model; gold keeps its version."""
    lake.thrift_rows(
        "insert into silver.stg_shop__viewing_sessions select -1 as session_id, customer_id, "
        "catalog_title_id, device, -5 as minutes_watched, rating, source_row_count, "
        "is_completed, started_at, updated_at, current_timestamp() as loaded_at, "
        "current_timestamp() as built_at, session_date "
        "from silver.stg_shop__viewing_sessions limit 1"
    )
    [(before,)] = lake.thrift_rows("select count(*) from gold.fct_viewing_sessions")
    [(version_before, *_)] = lake.thrift_rows("describe history gold.fct_viewing_sessions limit 1")
    try:
        # incremental: Delta's table constraint refuses the insert of the changed dates
        incremental = dbt_failing(lake, "run", "--select", "fct_viewing_sessions")
        assert incremental.returncode == 1
        assert "minutes_watched_not_negative" in incremental.stdout
        # full refresh: the write-time guard refuses the create or replace
        rebuild = dbt_failing(lake, "run", "--select", "fct_viewing_sessions", "--full-refresh")
        assert rebuild.returncode == 1
        assert (
            "constraint minutes_watched_not_negative (minutes_watched >= 0) violated by the row "
            "with session_id = -1" in rebuild.stdout
        )
        [(version_after, *_)] = lake.thrift_rows(
            "describe history gold.fct_viewing_sessions limit 1"
        )
        assert version_after == version_before
        assert lake.thrift_rows("select count(*) from gold.fct_viewing_sessions") == [(before,)]
    finally:
        lake.thrift_rows("delete from silver.stg_shop__viewing_sessions where session_id = -1")
    properties = dict(lake.thrift_rows("show tblproperties gold.fct_viewing_sessions"))
    assert properties["delta.constraints.minutes_watched_not_negative"] == "minutes_watched >= 0"
    assert properties["delta.constraints.session_id_not_null"] == "session_id is not null"


def rows_read_by_tests(stack: Stack, since: dt.datetime) -> dict[str, int]:
    """Spark's rows read by each dbt data test that ran since then (its jobs name their node)."""
    port = int(stack.env["CINELAKE_SPARK_UI_PORT"])
    jobs, stages = spark_cost.fetch_jobs_and_stages("127.0.0.1", port)
    costs = spark_cost.costs_by_node(jobs, stages, since)
    return {node: cost.rows_read for node, cost in costs.items() if node.startswith("test.")}


def test_right_after_a_whole_build_the_daily_row_tests_read_none_of_its_files(lake):
    """The daily run's row tests and unique on a big incremental model, with the kept build's
    start as their bound and nothing written since: Delta skips every file (a filter
    `built_at > since` read them all: Delta rounds a timestamp's max statistic up by 1 ms).
    On a whole build the same tests read the table."""
    table = "silver.stg_shop__payments"
    [(kept, held)] = lake.thrift_rows(
        f"select cast(max(built_at) as string), count(*) from {table}"
    )
    selection = (
        "test",
        "--select",
        "stg_shop__payments",
        "--exclude",
        "test_name:rows_accounted_for",
    )
    daily = Stack(home=lake.home, env={**lake.env, "CINELAKE_DATA_TESTS_SINCE": kept})

    started = dt.datetime.now(dt.UTC)
    assert dbt_failing(lake, *selection).returncode == 0
    every_row = rows_read_by_tests(lake, started)
    # unique, accepted_values and relationships read the whole table (not_null reads no
    # file: Delta skips it on its null count)
    assert sum(rows >= held for rows in every_row.values()) >= 3, every_row

    started = dt.datetime.now(dt.UTC)
    assert dbt_failing(daily, *selection).returncode == 0
    # what is left is the parent side of relationships (the subscriptions), a small table
    assert sum(rows_read_by_tests(lake, started).values()) < held / 2


def test_the_daily_unique_test_reads_the_written_keys_and_finds_their_duplicates(lake):
    """unique_written_keys: on the daily run (CINELAKE_DATA_TESTS_SINCE), a payment written
    since that is held twice fails the test; a duplicate older than the kept build is the kept
    build's to find, and any other build finds it (every row)."""
    table = "silver.stg_shop__payments"
    test = "unique_written_keys_stg_shop__payments_payment_id"
    [(kept, lowest, highest)] = lake.thrift_rows(
        f"select cast(max(built_at) as string), min(payment_id), max(payment_id) from {table}"
    )
    columns = []
    for name, *_ in lake.thrift_rows(f"describe {table}"):
        if not name or name.startswith("#"):
            break
        columns.append(name)

    def copy(payment_id: int, built_at: str) -> None:
        """A second row of the payment, marked (source_row_count -1) for the clean-up."""
        values = {**{c: c for c in columns}, "source_row_count": "-1",
                  "built_at": f"timestamp '{built_at}'"}  # fmt: skip
        lake.thrift_rows(
            f"insert into {table} select {', '.join(values[c] for c in columns)} "
            f"from {table} where payment_id = {payment_id}"
        )

    daily = Stack(home=lake.home, env={**lake.env, "CINELAKE_DATA_TESTS_SINCE": kept})
    try:
        copy(lowest, kept)  # as if the kept build had written it twice
        assert dbt_failing(daily, "test", "--select", test).returncode == 0  # nothing since
        assert dbt_failing(lake, "test", "--select", test).returncode == 1  # every row
        copy(highest, "2099-01-01 00:00:00")  # written since: its key is in the range
        failed = dbt_failing(daily, "test", "--select", test)
        assert failed.returncode == 1
        assert "Got 1 result" in failed.stdout
    finally:
        lake.thrift_rows(f"delete from {table} where source_row_count = -1")


def compiled_test(stack: Stack, prefix: str) -> str:
    """The SQL dbt compiled last for the one data test whose file name starts so (dbt cuts a
    long test name to 30 characters and a hash)."""
    [path] = Path(stack.env["DBT_TARGET_PATH"], "compiled").rglob(f"{prefix}*.sql")
    return path.read_text()


def test_the_daily_accounting_test_finds_a_row_lost_among_the_keys_written(lake):
    """rows_accounted_for with a key: on the daily run it accounts for the keys in the range
    of those written or landed since, untouched keys inside it too; a loss outside the range is
    the kept build's to find, and a whole build, which accounts for every row, finds it. (What
    it reads is measured on a stack of many load days, docs/benchmarks.md: here bronze is one
    load, one file.)"""
    table = "silver.stg_shop__payments"
    test = "rows_accounted_for_stg_shop__payments_payment_id"
    # the payments as bronze holds them now (an earlier test landed a day), then accounted
    built = lake.dbt("run", "--select", "stg_shop__payments", "quarantine_shop__payments")
    assert "ERROR=0" in built.stdout
    assert dbt_failing(lake, "test", "--select", f"{test}*").returncode == 0
    # the kept build started now: nothing was written or landed since
    kept = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    ids = [i for (i,) in lake.thrift_rows(f"select payment_id from {table} order by payment_id")]
    lowest, first, lost, last = ids[0], ids[-30], ids[-20], ids[-10]
    stamps = dict(lake.thrift_rows(
        f"select payment_id, cast(built_at as string) from {table} "
        f"where payment_id in ({first}, {last})"
    ))  # fmt: skip

    def lose(payment_id: int) -> None:
        """As if a run had lost versions of the payment (marked by a negative count)."""
        lake.thrift_rows(
            f"update {table} set source_row_count = source_row_count - 1000 "
            f"where payment_id = {payment_id}"
        )

    def give_back() -> None:
        lake.thrift_rows(
            f"update {table} set source_row_count = source_row_count + 1000 "
            "where source_row_count < 0"
        )

    daily = Stack(home=lake.home, env={**lake.env, "CINELAKE_DATA_TESTS_SINCE": kept})
    try:
        lose(lowest)  # before the kept build: outside any range written since
        assert dbt_failing(daily, "test", "--select", f"{test}*").returncode == 0
        assert dbt_failing(lake, "test", "--select", f"{test}*").returncode == 1  # every row
        give_back()
        # a run writes two payments and loses versions of one between them it did not write
        lake.thrift_rows(
            f"update {table} set built_at = timestamp '2099-01-01 00:00:00' "
            f"where payment_id in ({first}, {last})"
        )
        lose(lost)
        failed = dbt_failing(daily, "test", "--select", f"{test}*")
        assert failed.returncode == 1, failed.stdout
        compiled = compiled_test(lake, test[:30])
        assert f"payment_id between {first} and {last}" in compiled
    finally:
        give_back()
        for payment_id, stamp in stamps.items():
            lake.thrift_rows(
                f"update {table} set built_at = timestamp '{stamp}' where payment_id = {payment_id}"
            )
    assert dbt_failing(daily, "test", "--select", f"{test}*").returncode == 0


def test_a_merged_model_that_gains_a_column_writes_it_on_every_row_in_that_run(lake):
    """A merged model compares only the columns its table holds, so the run that appends a
    column the model now gives (on_schema_change) must write every row: else each row kept a
    null there until something else rewrote it, and the daily runs in between served nulls.
    The table is put back without one of its documented columns, as one built before it."""
    table = "silver.stg_shop__subscription_versions"
    key, column = "subscription_version_key", "valid_since"
    # the versions as bronze holds them now (an earlier test landed a day), then held
    built = lake.dbt("run", "--select", "stg_shop__subscription_versions")
    assert "ERROR=0" in built.stdout
    held = dict(lake.thrift_rows(f"select {key}, cast({column} as string) from {table}"))
    assert held and None not in held.values()
    columns = []
    for name, *_ in lake.thrift_rows(f"describe {table}"):
        if not name or name.startswith("#"):
            break
        columns.append(name)
    kept = ", ".join(name for name in columns if name != column)
    lake.thrift_rows(f"create table {table}__held using delta as select * from {table}")
    lake.thrift_rows(
        f"create or replace table {table} using delta"
        " tblproperties ('delta.enableDeletionVectors' = 'true')"
        f" as select {kept} from {table}__held"
    )
    lake.thrift_rows(f"drop table {table}__held")
    assert column not in [name for name, *_ in lake.thrift_rows(f"describe {table}")]

    run = lake.dbt("run", "--select", "stg_shop__subscription_versions")
    assert "ERROR=0" in run.stdout
    assert f"holds no column {column}" in run.stdout, run.stdout[-3000:]
    assert dict(lake.thrift_rows(f"select {key}, cast({column} as string) from {table}")) == held


KILLED_BUILD = "+fct_payments"


def test_a_thrift_server_killed_mid_build_leaves_each_table_old_or_new(lake):
    lake.cinelake("demo-data", "--advance-day")
    on_day(lake, "2026-04-03").cinelake("ingest", "all")
    tables = delta_tables(lake)
    previous = fingerprints(lake, tables)

    # The payments' lineage (12 of the 61 models, silver and gold) is enough for the claim (224 s
    # against 342 s for the whole `dbt run`); every Delta table of the lake is checked below.
    build = subprocess.Popen(
        [str(BIN_DIR / "dbt"), "run", "--select", KILLED_BUILD], cwd=PROJECT_ROOT, text=True,
        env={**lake.env, "PYTHONUNBUFFERED": "1"},  # its lines as they come
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for line in build.stdout:  # until the first gold table is replaced
            if "OK created sql table model gold." in line:
                break
        else:
            pytest.fail("the build ended before it replaced a gold table")
        thrift_pid = int((lake.home / "run" / "spark-thrift.pid").read_text().split()[0])
        os.kill(thrift_pid, signal.SIGKILL)
    finally:
        build.kill()
        build.wait()

    lake.cinelake("up")
    assert delta_tables(lake) == tables
    crashed = fingerprints(lake, tables)
    after = lake.dbt("run", "--select", KILLED_BUILD)  # their data tests are test_transform's
    assert "ERROR=0" in after.stdout
    new = fingerprints(lake, tables)
    assert [t for t in tables if crashed[t] not in (previous[t], new[t])] == []
    assert any(previous[t] != new[t] for t in tables)  # the day changed something


def test_maintain_compacts_and_vacuums_every_delta_table(lake):
    refused = lake.cinelake("maintain", "--retain-hours", "1", check=False)
    assert refused.returncode == 2 and "below Delta's safe minimum of 168" in refused.stderr

    fact = "gold.fct_viewing_sessions"
    # the files of older versions are still there: time travel reads them
    assert data_files(lake, fact) > detail(lake, fact)["numFiles"]
    [(rows,)] = lake.thrift_rows(f"select count(*) from {fact}")

    # Two tables (the partitioned fact and a silver table) keep the test short; the choice
    # among every Delta table of silver and gold is tests/unit/test_maintenance.py's.
    silver = next(t for t in delta_tables(lake) if t.startswith("silver."))
    done = lake.cinelake("maintain", "--retain-hours", "0", "--force", fact, silver)
    listed = {line.split()[0] for line in done.stdout.splitlines()}
    assert listed == {fact, silver}
    assert data_files(lake, fact) == detail(lake, fact)["numFiles"]  # only the current ones
    assert lake.thrift_rows(f"select count(*) from {fact}") == [(rows,)]
