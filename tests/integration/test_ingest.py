"""`cinelake ingest` into bronze: nothing lost, nothing doubled, faults survived or clean.

The module generates its own demo data in the session's stack and ingests it with its own
state directory and lake (same services), pinned to load dates, so its counts are exact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import random
import re
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pymysql
import pytest
from deltalake import DeltaTable

from cinelake import lake
from cinelake.config import SHOP_TABLES
from cinelake.lake import delta_table
from tests.helpers.stack import BIN_DIR, PROJECT_ROOT, Stack, free_port, webhook

pytestmark = pytest.mark.integration

AS_OF = dt.date(2026, 3, 1)
DAY1, DAY2 = "2026-03-01", "2026-03-02"
REJECT_KINDS = ("too_few_fields", "too_many_fields", "invalid_utf8")
LAG_S = 3600  # the shop's lag window (CINELAKE_SHOP_LAG_SECONDS), set explicitly below


class Lake:
    """An ingestion home (own lake, dlt state, run reports) against the session's services."""

    def __init__(self, stack: Stack, home: Path):
        self.stack, self.home = stack, home
        demo = stack.home / "demo"
        self.env = {
            **stack.env,
            "CINELAKE_HOME": str(home),
            "CINELAKE_CSV_MOVIES": str(demo / "csv" / "movies.csv"),
            "CINELAKE_CSV_SERIES": str(demo / "csv" / "series.csv"),
            "CINELAKE_LOAD_DATE": DAY1,
        }

    def ingest(self, *sources: str, check: bool = True, **env: str):
        runner = Stack(home=self.home, env={**self.env, **env})
        return runner.cinelake("ingest", *sources, check=check)

    def delta(self, source: str, table: str) -> DeltaTable:
        return DeltaTable(str(self.home / "lake" / "bronze" / source / table))

    def table(self, source: str, table: str, day: str | None = None) -> pa.Table:
        """A bronze table as its committed version reads (or one load day of it)."""
        filters = None
        if day:
            filters = lake.day_filters(dt.date.fromisoformat(day))
        return self.delta(source, table).to_pyarrow_table(filters=filters)

    def rows(self, source: str, table: str, day: str | None = None) -> int:
        """Rows of a table (or of one day of it; 0 for a table never landed)."""
        if delta_table(str(self.home / "lake" / "bronze" / source / table)) is None:
            return 0  # never committed (an empty _delta_log/ of a killed load is no table)
        return self.table(source, table, day).num_rows

    def files(self, source: str, table: str) -> list[str]:
        """The data files of the table's current version."""
        return sorted(self.delta(source, table).file_uris())

    def latest_report(self) -> dict:
        return json.loads((self.home / "runs" / "latest.json").read_text())


def in_lag_window(stack: Stack, table: str) -> int:
    """Rows of a shop table at most LAG_S behind its newest updated_at (the cursor, when
    nothing changed since the last run): what a run re-reads."""
    return stack.mysql_rows(
        f"select count(*) from {table} where updated_at >= "
        f"(select max(updated_at) from {table}) - interval {LAG_S} second"
    )[0][0]


def shop_owner(stack: Stack) -> pymysql.Connection:
    """The shop's owner account: tests change the source as an application would."""
    return pymysql.connect(host="127.0.0.1", port=stack.mysql_port, user="shop_owner",
                           password="shop-owner-dev", database="shop")  # fmt: skip


@pytest.fixture(scope="module")
def manifest(stack):
    stack.cinelake("demo-data", "--scale", "0.05", "--seed", "9", "--as-of", AS_OF.isoformat())
    return json.loads((stack.home / "demo" / "manifest.json").read_text())


@pytest.fixture(scope="module")
def landed(stack, manifest, tmp_path_factory):
    lake = Lake(stack, tmp_path_factory.mktemp("ingest"))
    stack.standin("/_cinelake/faults", {})
    lake.ingest("all")
    return lake


@pytest.mark.parametrize("table", ["movies", "series"])
def test_every_csv_line_is_in_bronze_or_in_rejects(landed, manifest, table):
    entry = manifest["files"][f"{table}.csv"]
    rows = landed.table("csv", table)
    rejects = landed.table("csv", "rejects").filter(ds.field("source_file") == f"{table}.csv")
    lines = sorted(rows["_source_line"].to_pylist() + rejects["line_number"].to_pylist())
    assert lines == list(range(2, entry["physical_lines"] + 1))  # every line once, none twice
    assert set(rejects["source_table"].to_pylist()) == {table}
    reasons = dict(zip(*pa.compute.value_counts(rejects["reason"]).flatten(), strict=True))
    reasons = {k.as_py(): v.as_py() for k, v in reasons.items()}
    assert reasons == {
        **{kind: entry["defects"][kind] for kind in REJECT_KINDS},
        "blank_line": entry["blank_lines"],
    }
    parses = entry["valid_lines"] + sum(
        n for kind, n in entry["defects"].items() if kind not in REJECT_KINDS
    )
    assert rows.num_rows == parses


def test_bronze_keeps_values_as_they_came_with_lineage(landed, manifest):
    movies = landed.table("csv", "movies")
    assert all(
        movies.schema.field(c).type == pa.string() for c in ("id", "nota_media", "ano_lancamento")
    )
    assert {"_source_file", "_source_line", "_source_sha256", "_loaded_at", "_dlt_load_id"} <= set(
        movies.column_names
    )
    ratings = set(movies["nota_media"].to_pylist())
    assert "7,5" in ratings or "N/A" in ratings or "six" in ratings  # unparsable kept for silver
    assert r"\N" in set(movies["tempo_minutos"].to_pylist())
    assert set(movies["_source_sha256"].to_pylist()) == {manifest["files"]["movies.csv"]["sha256"]}


def test_tmdb_day_snapshot_holds_every_horror_movie_once(landed, manifest):
    discover = landed.table("tmdb", "discover_movies", DAY1)
    expected = min(manifest["tmdb"]["horror_movies"], 500 * 20)
    assert discover.num_rows == expected
    assert len(set(discover["id"].to_pylist())) == expected
    genres = landed.table("tmdb", "genres", DAY1)
    assert "Terror" in genres["name"].to_pylist()


def test_shop_tables_land_with_their_types(landed, manifest):
    for table in SHOP_TABLES:
        assert landed.rows("shop", table) == manifest["shop"]["tables"][table], table
    payments = landed.table("shop", "payments").schema
    assert payments.field("amount").type == pa.decimal128(10, 2)
    assert pa.types.is_timestamp(payments.field("paid_at").type)
    assert pa.types.is_integer(
        landed.table("shop", "viewing_sessions").schema.field("completed").type
    )


def test_run_metrics_are_recorded_in_json_and_bronze(landed, manifest):
    report = landed.latest_report()
    assert report["status"] == "ok" and report["load_date"] == DAY1
    metrics = {(m["source"], m["table"]): m for m in report["tables"]}
    movies = metrics[("csv", "movies")]
    entry = manifest["files"]["movies.csv"]
    assert movies["rows_in"] == entry["data_lines"] + entry["blank_lines"]
    assert movies["rows_in"] == movies["rows_landed"] + movies["rows_rejected"]
    assert (
        metrics[("shop", "viewing_sessions")]["rows_landed"]
        == manifest["shop"]["tables"]["viewing_sessions"]
    )
    assert all(m["bytes"] > 0 and m["status"] == "ok" for m in report["tables"])
    log = landed.table("ops", "ingestion_runs")
    assert report["run_id"] in set(log["run_id"].to_pylist())


def every_line_once(lake: Lake, manifest: dict, table: str) -> None:
    """Each line after the header of the table's file is in bronze once: a row or a reject."""
    rows = lake.table("csv", table)
    rejects = lake.table("csv", "rejects").filter(ds.field("source_file") == f"{table}.csv")
    lines = sorted(rows["_source_line"].to_pylist() + rejects["line_number"].to_pylist())
    assert lines == list(range(2, manifest["files"][f"{table}.csv"]["physical_lines"] + 1))


def test_two_ingestions_at_once_on_one_home_land_each_row_once(stack, manifest, tmp_path):
    """Started together on one home: one runs, the other waits for it (CINELAKE_LOCK_WAIT_S)
    or refuses at once with one line naming it (exit 75); bronze holds each source row once."""
    lake = Lake(stack, tmp_path / "home")
    env = {**lake.env, "CINELAKE_SHOP_LAG_SECONDS": "0"}  # a rerun re-reads nothing
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    command = [str(BIN_DIR / "cinelake"), "ingest", "all"]
    runs = [
        subprocess.Popen(command, cwd=PROJECT_ROOT, env=env | extra, **pipes)
        for extra in ({}, {"CINELAKE_LOCK_WAIT_S": "600"})
    ]
    (_, impatient_err), (_, waiter_err) = (run.communicate(timeout=900) for run in runs)
    impatient, waiter = (run.returncode for run in runs)
    assert waiter == 0, waiter_err[-3000:]
    if impatient == 0:  # it ran first: the other waited for it, then found nothing new
        assert f"held by pid {runs[0].pid}" in waiter_err
    else:
        assert impatient == 75, impatient_err[-3000:]
        assert impatient_err.startswith("cinelake: error: another run holds the ingest lock")
        assert impatient_err.count("\n") == 1 and f"pid {runs[1].pid} " in impatient_err
    for table in ("movies", "series"):
        every_line_once(lake, manifest, table)
        assert len(set(lake.table("csv", table)["_dlt_load_id"].to_pylist())) == 1
    for table in SHOP_TABLES:
        (count,) = stack.mysql_rows(f"select count(*) from {table}")[0]
        assert lake.rows("shop", table) == count, table
    discover = lake.table("tmdb", "discover_movies")
    assert discover.num_rows == len(set(discover["id"].to_pylist())) > 0


def test_a_binary_movies_file_fails_movies_alone_with_a_printable_reason(stack, manifest, tmp_path):
    lake = Lake(stack, tmp_path / "home")
    binary = tmp_path / "movies.csv"
    binary.write_bytes(b"\x1f\x8b\x08\x00\x1b[2J" + random.Random(25).randbytes(50_000))
    result = lake.ingest("csv", check=False, CINELAKE_CSV_MOVIES=str(binary))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if "error" in line]  # one line
    assert error.startswith(f"cinelake: error: csv: {binary}: the header is not that of")
    assert error.isprintable() and "\\x1b[2J" in error
    report = lake.latest_report()
    movies = next(m for m in report["tables"] if m["table"] == "movies")
    assert report["status"] == "failed" and movies["status"] == "failed"
    assert movies["detail"].isprintable() and "\\x1b[2J" in movies["detail"]
    every_line_once(lake, manifest, "series")  # landed all the same
    assert lake.rows("csv", "movies") == 0


def test_ingesting_again_the_same_day_doubles_nothing(stack, landed):
    """CSV and TMDB are unchanged; the shop appends its lag window again, and only that."""
    csv_tmdb = [("csv", "movies"), ("csv", "series"), ("csv", "rejects"),
                ("tmdb", "discover_movies"), ("tmdb", "genres")]  # fmt: skip
    before = {key: landed.rows(*key) for key in csv_tmdb + [("shop", t) for t in SHOP_TABLES]}
    tmdb_files = landed.files("tmdb", "discover_movies")
    landed.ingest("all", CINELAKE_SHOP_LAG_SECONDS=str(LAG_S))
    after = {key: landed.rows(*key) for key in before}
    assert {k: after[k] for k in csv_tmdb} == {k: before[k] for k in csv_tmdb}
    assert landed.files("tmdb", "discover_movies") != tmdb_files  # replaced, not kept
    metrics = {(m["source"], m["table"]): m for m in landed.latest_report()["tables"]}
    assert metrics[("csv", "movies")]["status"] == "skipped"
    for table in SHOP_TABLES:  # nothing changed in MySQL: every row read is the window's
        window = in_lag_window(stack, table)
        assert after[("shop", table)] - before[("shop", table)] == window > 0, table
        assert metrics[("shop", table)]["rows_lag_window"] == window, table


def test_tmdb_faults_are_survived(stack, landed):
    """Three genres (more requests); the faulty run of a day equals its clean run."""
    env = {"CINELAKE_TMDB_GENRES": "27,18,35", "CINELAKE_LOAD_DATE": "2026-03-05"}
    landed.ingest("tmdb", **env)
    clean = landed.table("tmdb", "discover_movies", "2026-03-05")
    # requests 3, 6, 9... get 429, 4, 8... 503, 5, 10... a truncated body: never 6 in a row
    stack.standin(
        "/_cinelake/faults",
        {"rate_limit_every": 3, "retry_after_s": 1, "server_error_every": 4, "malformed_every": 5},
    )
    try:
        landed.ingest("tmdb", **env)
        served = stack.standin("/_cinelake/stats")["faults"]
    finally:
        stack.standin("/_cinelake/faults", {})
    assert served["rate_limit"] > 0 and served["server_error"] > 0 and served["malformed"] > 0
    faulty = landed.table("tmdb", "discover_movies", "2026-03-05")
    assert faulty.num_rows == clean.num_rows > 0

    def keys(table: pa.Table) -> list[tuple]:
        return sorted(zip(table["_genre_query"].to_pylist(), table["id"].to_pylist(), strict=True))

    assert keys(faulty) == keys(clean)


def test_persistent_tmdb_failure_fails_cleanly_and_alerts(stack, landed):
    files = landed.files("tmdb", "discover_movies")
    stack.standin("/_cinelake/faults", {"server_error_every": 1})
    try:
        with webhook() as (url, received):
            result = landed.ingest("tmdb", check=False, CINELAKE_ALERT_WEBHOOK=url)
    finally:
        stack.standin("/_cinelake/faults", {})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tmdb: TmdbError" in result.stderr and "failed after" in result.stderr
    assert landed.files("tmdb", "discover_movies") == files  # the day's snapshot untouched
    assert landed.latest_report()["status"] == "failed"
    assert len(received) == 1
    assert "failed" in received[0]["text"] and received[0]["blocks"]


def test_unreachable_mysql_is_a_clear_error(landed):
    result = landed.ingest(
        "shop", check=False, CINELAKE_SHOP_URL=f"mysql+pymysql://etl:x@127.0.0.1:{free_port()}/shop"
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot read the shop database" in result.stderr


def test_a_late_row_within_the_lag_window_lands_and_an_older_one_does_not(stack, landed):
    """Committed after the last run with an updated_at behind its cursor (a long transaction,
    a lagging replica): within the window it lands; older than the window it is missed."""
    (cursor,) = stack.mysql_rows("select max(updated_at) from viewing_sessions")[0]
    (last_id,) = stack.mysql_rows("select max(session_id) from viewing_sessions")[0]
    (customer, title) = stack.mysql_rows(
        "select customer_id, catalog_title_id from viewing_sessions limit 1"
    )[0]
    late = {last_id + 1: cursor - dt.timedelta(minutes=10),
            last_id + 2: cursor - dt.timedelta(seconds=LAG_S + 3600)}  # fmt: skip
    with contextlib.closing(shop_owner(stack)) as conn:
        with conn.cursor() as sql:
            for session_id, updated_at in late.items():
                sql.execute(
                    "insert into viewing_sessions (session_id, customer_id, catalog_title_id, "
                    "device, started_at, minutes_watched, completed, rating, updated_at) "
                    "values (%s, %s, %s, 'tv', %s, 42, 1, null, %s)",
                    (session_id, customer, title, updated_at, updated_at),
                )
        conn.commit()
    window = in_lag_window(stack, "viewing_sessions")  # counts the late row in the window
    landed.ingest("shop", CINELAKE_LOAD_DATE="2026-03-04", CINELAKE_SHOP_LAG_SECONDS=str(LAG_S))
    sessions = set(landed.table("shop", "viewing_sessions")["session_id"].to_pylist())
    assert last_id + 1 in sessions  # late, within the window: landed
    assert last_id + 2 not in sessions  # older than the window: missed (documented)
    metric = next(m for m in landed.latest_report()["tables"] if m["table"] == "viewing_sessions")
    assert metric["rows_landed"] == metric["rows_lag_window"] == window
    assert landed.rows("shop", "viewing_sessions", "2026-03-04") == window
    # the report says where the window began: the older row's cursor is before it
    assert (
        f"{LAG_S} s lag window back to {cursor - dt.timedelta(seconds=LAG_S)}" in (metric["detail"])
    )
    # --since reaches back further, for this run only: the missed row lands, once
    since = (late[last_id + 2] - dt.timedelta(minutes=1)).isoformat()
    landed.ingest("shop", "--since", since, CINELAKE_LOAD_DATE="2026-03-04",
                  CINELAKE_SHOP_LAG_SECONDS=str(LAG_S))  # fmt: skip
    sessions = landed.table("shop", "viewing_sessions")["session_id"].to_pylist()
    assert sessions.count(last_id + 2) == 1
    metric = next(m for m in landed.latest_report()["tables"] if m["table"] == "viewing_sessions")
    assert f"lag window back to {since.replace('T', ' ')}" in metric["detail"]


def garbage_movies(stack: Stack, path: Path) -> int:
    """A movies.csv with a valid header, then ~100 kB of random bytes: its lines after the
    header (as the parser counts them: a last line without a newline counts too)."""
    with (stack.home / "demo" / "csv" / "movies.csv").open("rb") as real:
        header = real.readline()
    body = random.Random(440).randbytes(100_000)
    path.write_bytes(header + body)
    return body.count(b"\n") + (not body.endswith(b"\n"))


def test_an_all_garbage_file_fails_csv_alerts_and_the_other_sources_land(stack, landed, tmp_path):
    lines = garbage_movies(stack, tmp_path / "movies.csv")
    env = {"CINELAKE_CSV_MOVIES": str(tmp_path / "movies.csv"), "CINELAKE_REJECT_RATE_MAX": "1",
           "CINELAKE_LOAD_DATE": "2026-03-06"}  # fmt: skip

    sha = hashlib.sha256((tmp_path / "movies.csv").read_bytes()).hexdigest()

    def garbage_rejects() -> int:
        rejects = landed.table("csv", "rejects")
        return rejects.filter(ds.field("_source_sha256") == sha).num_rows

    with webhook() as (url, received):
        result = landed.ingest("csv", check=False, CINELAKE_ALERT_WEBHOOK=url, **env)
        report = landed.latest_report()
        movies = next(m for m in report["tables"] if m["table"] == "movies")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert report["status"] == "failed" and movies["status"] == "failed"
        # every line rejected trips the alarm even with CINELAKE_REJECT_RATE_MAX=1
        assert movies["rows_in"] == movies["rows_rejected"] == lines > 100
        assert "every line rejected" in movies["detail"]
        assert "csv: movies.csv" in result.stderr
        assert len(received) == 1 and "csv" in received[0]["text"]
        assert "every line rejected" in json.dumps(received[0]["blocks"])
        assert garbage_rejects() == lines  # the evidence stays in bronze

        # the same content again, with the other sources: not landed twice, alarm not lost
        result = landed.ingest("all", check=False, CINELAKE_ALERT_WEBHOOK=url, **env)
        report = landed.latest_report()
    statuses = {(m["source"], m["table"]): m["status"] for m in report["tables"]}
    assert result.returncode == 1 and statuses[("csv", "movies")] == "failed"
    assert set(report["errors"]) == {"csv"}
    assert len(received) == 2 and "csv" in received[1]["text"]
    assert garbage_rejects() == lines
    assert all(statuses[("shop", t)] == "ok" for t in SHOP_TABLES)
    assert statuses[("tmdb", "discover_movies")] == "ok"
    assert landed.rows("tmdb", "discover_movies", "2026-03-06") > 0
    assert landed.rows("shop", "viewing_sessions", "2026-03-06") > 0  # at least its window


def test_advance_day_is_extracted_incrementally_with_history(stack, landed):
    stack.cinelake("demo-data", "--advance-day")
    day = json.loads((stack.home / "demo" / "manifest.json").read_text())["shop"]["days"][-1]
    landed.ingest("shop", CINELAKE_LOAD_DATE=DAY2, CINELAKE_SHOP_LAG_SECONDS=str(LAG_S))
    metrics = {m["table"]: m for m in landed.latest_report()["tables"]}
    for table in SHOP_TABLES:
        expected = day["inserted"].get(table, 0) + day["updated"].get(table, 0)
        landed_rows = metrics[table]["rows_landed"]
        assert landed_rows - metrics[table]["rows_lag_window"] == expected, table  # past cursor
        assert landed.rows("shop", table, DAY2) == landed_rows
    customers = landed.table("shop", "customers")  # versions: distinct (id, updated_at)
    versions = set(zip(customers["customer_id"].to_pylist(), customers["updated_at"].to_pylist(),
                       strict=True))  # fmt: skip
    per_customer = pa.compute.value_counts(pa.array([c for c, _ in versions]))
    assert (
        sum(1 for n in per_customer.field("counts").to_pylist() if n == 2)
        == day["updated"]["customers"]
    )


def test_a_column_added_in_mysql_appears_in_bronze(stack, landed):
    """Last: it changes the shop schema."""
    with contextlib.closing(
        pymysql.connect(
            host="127.0.0.1",
            port=stack.mysql_port,
            user="shop_owner",
            password="shop-owner-dev",
            database="shop",
        )
    ) as conn:
        with conn.cursor() as cursor:
            cursor.execute("alter table plans add column trial_days int not null default 7")
            cursor.execute("update plans set updated_at = '2026-03-03 10:00:00' where plan_id = 1")
        conn.commit()
    landed.ingest("shop", CINELAKE_LOAD_DATE="2026-03-03")
    new = landed.table("shop", "plans", "2026-03-03")
    changed = new.filter(pa.compute.equal(new["plan_id"], 1))
    assert changed.num_rows == 1 and changed["trial_days"].to_pylist() == [7]
    old = landed.table("shop", "plans", DAY1)  # the first run's and the re-run's window
    assert set(old["plan_id"].to_pylist()) == {1, 2, 3, 4}
    assert set(old["trial_days"].to_pylist()) == {None}  # the Delta schema evolved; rows did not


def test_a_full_lake_disk_is_one_line_per_failure_with_the_summary_and_no_panic(
    stack, manifest, tmp_path
):
    """The lake on a 64 kB file system (a tmpfs: the suite runs as root, as set-up does):
    each source fails with one line naming it (and the table whose load failed), the summary
    table is still printed, the run is recorded or the report says why not, and neither dlt's
    tracebacks nor delta-rs's Rust panics reach the console."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=True)
    try:
        full = Lake(stack, tmp_path / "home")
        result = full.ingest("all", check=False, CINELAKE_LAKE_URL=str(disk / "lake"))
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    assert result.returncode == 1
    assert "source table" in result.stdout and "failed" in result.stdout  # the summary
    console = [line for line in result.stderr.splitlines() if not line.startswith("INFO ")]
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr, console
    assert console and all(line.startswith("cinelake: error: ") for line in console), console
    # the table whose commit failed first (the tables of a source load side by side)
    assert re.search(r"^cinelake: error: csv: (movies|series|rejects): ", result.stderr, re.M)
    assert "No space left on device" in result.stderr
    report = full.latest_report()  # in the state folder, which has room
    assert report["status"] == "failed" and {"csv", "tmdb", "shop"} <= set(report["errors"])
    assert set(report["errors"]) - {"csv", "tmdb", "shop"} <= {"ops/ingestion_runs"}
    assert (
        report["errors"]
        .get("ops/ingestion_runs", "run not recorded: ")
        .startswith("run not recorded: ")
    )
