"""`cinelake ingest` into bronze: nothing lost, nothing doubled, faults survived or clean.

The module generates its own demo data in the session's stack and ingests it with its own
state directory and lake (same services), pinned to load dates, so its counts are exact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pymysql
import pytest
from conftest import Stack, free_port

from ingestion.config import SHOP_TABLES

pytestmark = pytest.mark.integration

AS_OF = dt.date(2026, 3, 1)
DAY1, DAY2 = "2026-03-01", "2026-03-02"
REJECT_KINDS = ("too_few_fields", "too_many_fields", "invalid_utf8")


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

    def table(self, source: str, table: str, day: str | None = None) -> pa.Table:
        path = self.home / "lake" / "bronze" / source / table
        if day:
            y, m, d = day.split("-")
            path = path / f"year={y}" / f"month={m}" / f"day={d}"
        return ds.dataset(path, format="parquet", partitioning="hive").to_table()

    def rows(self, source: str, table: str, day: str | None = None) -> int:
        """Rows of a table (or of one day of it; a day with nothing new has no partition)."""
        try:
            return self.table(source, table, day).num_rows
        except FileNotFoundError:
            return 0

    def files(self, source: str, table: str) -> list[str]:
        return sorted(
            str(p) for p in (self.home / "lake" / "bronze" / source / table).rglob("*.parquet")
        )

    def latest_report(self) -> dict:
        return json.loads((self.home / "runs" / "latest.json").read_text())


def standin(stack: Stack, path: str, body: dict | None = None) -> dict:
    url = f"http://127.0.0.1:{stack.tmdb_port}{path}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="PUT" if data else "GET")
    with urllib.request.urlopen(request) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def manifest(stack):
    stack.cinelake("demo-data", "--scale", "0.05", "--seed", "9", "--as-of", AS_OF.isoformat())
    return json.loads((stack.home / "demo" / "manifest.json").read_text())


@pytest.fixture(scope="module")
def landed(stack, manifest, tmp_path_factory):
    lake = Lake(stack, tmp_path_factory.mktemp("ingest"))
    standin(stack, "/_cinelake/faults", {})
    lake.ingest("all")
    return lake


@pytest.mark.parametrize("table", ["movies", "series"])
def test_every_csv_line_is_in_bronze_or_in_rejects(landed, manifest, table):
    entry = manifest["files"][f"{table}.csv"]
    rows = landed.table("csv", table)
    rejects = landed.table("csv", "rejects").filter(ds.field("source_file") == f"{table}.csv")
    lines = sorted(rows["_source_line"].to_pylist() + rejects["line_number"].to_pylist())
    assert lines == list(range(2, entry["physical_lines"] + 1))  # every line once, none twice
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


def test_ingesting_again_the_same_day_doubles_nothing(landed):
    before = {
        (s, t): landed.rows(s, t)
        for s, t in [
            ("csv", "movies"),
            ("csv", "series"),
            ("csv", "rejects"),
            ("tmdb", "discover_movies"),
            ("tmdb", "genres"),
        ]
        + [("shop", t) for t in SHOP_TABLES]
    }
    tmdb_files = landed.files("tmdb", "discover_movies")
    landed.ingest("all")
    after = {key: landed.rows(*key) for key in before}
    assert after == before
    assert landed.files("tmdb", "discover_movies") != tmdb_files  # replaced, not kept
    statuses = {(m["source"], m["table"]): m["status"] for m in landed.latest_report()["tables"]}
    assert statuses[("csv", "movies")] == "skipped"


def test_tmdb_faults_are_survived(stack, landed):
    """Three genres (more requests); the faulty run of a day equals its clean run."""
    env = {"CINELAKE_TMDB_GENRES": "27,18,35", "CINELAKE_LOAD_DATE": "2026-03-05"}
    landed.ingest("tmdb", **env)
    clean = landed.table("tmdb", "discover_movies", "2026-03-05")
    # requests 3, 6, 9... get 429, 4, 8... 503, 5, 10... a truncated body: never 6 in a row
    standin(
        stack,
        "/_cinelake/faults",
        {"rate_limit_every": 3, "retry_after_s": 1, "server_error_every": 4, "malformed_every": 5},
    )
    try:
        landed.ingest("tmdb", **env)
        served = standin(stack, "/_cinelake/stats")["faults"]
    finally:
        standin(stack, "/_cinelake/faults", {})
    assert served["rate_limit"] > 0 and served["server_error"] > 0 and served["malformed"] > 0
    faulty = landed.table("tmdb", "discover_movies", "2026-03-05")
    assert faulty.num_rows == clean.num_rows > 0

    def keys(table: pa.Table) -> list[tuple]:
        return sorted(zip(table["_genre_query"].to_pylist(), table["id"].to_pylist(), strict=True))

    assert keys(faulty) == keys(clean)


class Receiver(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        Receiver.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_persistent_tmdb_failure_fails_cleanly_and_alerts(stack, landed):
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    files = landed.files("tmdb", "discover_movies")
    standin(stack, "/_cinelake/faults", {"server_error_every": 1})
    try:
        result = landed.ingest(
            "tmdb", check=False, CINELAKE_ALERT_WEBHOOK=f"http://127.0.0.1:{port}/hook"
        )
    finally:
        standin(stack, "/_cinelake/faults", {})
        server.shutdown()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tmdb: TmdbError" in result.stderr and "failed after" in result.stderr
    assert landed.files("tmdb", "discover_movies") == files  # the day's snapshot untouched
    assert landed.latest_report()["status"] == "failed"
    assert len(Receiver.received) == 1
    assert "failed" in Receiver.received[0]["text"] and Receiver.received[0]["blocks"]


def test_unreachable_mysql_is_a_clear_error(landed):
    result = landed.ingest(
        "shop", check=False, CINELAKE_SHOP_URL=f"mysql+pymysql://etl:x@127.0.0.1:{free_port()}/shop"
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot read the shop database" in result.stderr


def test_advance_day_is_extracted_incrementally_with_history(stack, landed):
    stack.cinelake("demo-data", "--advance-day")
    day = json.loads((stack.home / "demo" / "manifest.json").read_text())["shop"]["days"][-1]
    landed.ingest("shop", CINELAKE_LOAD_DATE=DAY2)
    metrics = {m["table"]: m["rows_landed"] for m in landed.latest_report()["tables"]}
    for table in SHOP_TABLES:
        expected = day["inserted"].get(table, 0) + day["updated"].get(table, 0)
        assert metrics[table] == expected, table
        assert landed.rows("shop", table, DAY2) == expected
    customers = landed.table("shop", "customers")
    versions = pa.compute.value_counts(customers["customer_id"]).field("counts").to_pylist()
    assert sum(1 for n in versions if n == 2) == day["updated"]["customers"]


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
    assert new.num_rows == 1 and new["trial_days"].to_pylist() == [7]
    old = landed.table("shop", "plans", DAY1)
    assert "trial_days" not in old.column_names and old.num_rows == 4
