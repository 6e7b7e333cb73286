"""`cinelake demo-data` against the real MariaDB: the manifest matches disk and MySQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import unicodedata
import urllib.request
from pathlib import Path

import pymysql
import pytest

from cinelake.config import SHOP_TABLES as TABLES

pytestmark = pytest.mark.integration

AS_OF = dt.date(2026, 1, 15)


def shop(stack) -> pymysql.Connection:
    return pymysql.connect(
        host="127.0.0.1", port=stack.mysql_port, user="etl", password="etl-dev", database="shop"
    )


def scalar(stack, sql: str, *args):
    with contextlib.closing(shop(stack)) as conn, conn.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchone()[0]


def checksums(stack) -> dict:
    with contextlib.closing(shop(stack)) as conn, conn.cursor() as cursor:
        cursor.execute("checksum table " + ", ".join(TABLES))
        return dict(cursor.fetchall())


def generate(stack) -> dict:
    stack.cinelake("demo-data", "--scale", "0.05", "--seed", "7", "--as-of", AS_OF.isoformat())
    manifest = json.loads((stack.home / "demo" / "manifest.json").read_text())
    manifest.pop("seconds")
    return manifest


@pytest.fixture(scope="module")
def demo(stack):
    """Generated twice with the same seed: both runs are kept for the determinism test."""
    first = generate(stack)
    first_sums = checksums(stack)
    second = generate(stack)
    return {"manifest": second, "runs": [(first, first_sums), (second, checksums(stack))]}


def test_same_seed_gives_the_same_files_rows_and_manifest(demo):
    (first, first_sums), (second, second_sums) = demo["runs"]
    assert first == second
    assert first_sums == second_sums


def test_files_on_disk_are_those_of_the_manifest(demo):
    for entry in demo["manifest"]["files"].values():
        data = Path(entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        newline = b"\r\n" if entry["line_ending"] == "CRLF" else b"\n"
        assert data.count(newline) == entry["physical_lines"]
        assert all(entry["defects"].values())


def test_mysql_row_counts_match_the_manifest(stack, demo):
    tables = demo["manifest"]["shop"]["tables"]
    assert set(tables) == set(TABLES)
    for table in TABLES:
        assert scalar(stack, f"select count(*) from {table}") == tables[table], table


def test_the_history_ends_before_as_of(stack, demo):
    """Otherwise an incremental extractor's cursor would jump past the first advanced day."""
    as_of = dt.datetime.combine(AS_OF, dt.time())
    for table in TABLES:
        assert scalar(stack, f"select max(updated_at) from {table}") < as_of, table
    assert scalar(stack, "select max(started_at) from viewing_sessions") < as_of
    assert (
        scalar(stack, "select max(coalesce(cancelled_at, started_at)) from subscriptions") < as_of
    )


def test_session_defects_are_in_mysql_as_counted(stack, demo):
    defects = demo["manifest"]["shop"]["defects"]
    assert (
        scalar(
            stack,
            "select count(*) from viewing_sessions s left join customers c "
            "using (customer_id) where c.customer_id is null",
        )
        == defects["session_unknown_customer"]
    )
    assert (
        scalar(
            stack,
            "select count(*) from viewing_sessions s left join catalog_titles t "
            "using (catalog_title_id) where t.catalog_title_id is null",
        )
        == defects["session_unknown_title"]
    )
    assert (
        scalar(stack, "select count(*) from viewing_sessions where minutes_watched < 0")
        == defects["session_negative_minutes"]
    )
    assert (
        scalar(stack, "select count(*) from viewing_sessions where rating not between 1 and 5")
        == defects["session_rating_out_of_range"]
    )
    assert all(defects.values())


def test_catalog_matching_shares_are_as_counted(stack, demo):
    catalog = demo["manifest"]["shop"]["catalog"]
    assert (
        scalar(stack, "select count(*) from catalog_titles where imdb_id is not null")
        == catalog["matched_to_csv"]
    )
    assert (
        scalar(
            stack,
            "select count(*) from catalog_titles where imdb_id is null and tmdb_id is not null",
        )
        == catalog["tmdb_only"]
    )
    assert (
        scalar(
            stack, "select count(*) from catalog_titles where imdb_id is null and tmdb_id is null"
        )
        == catalog["unmatched"]
    )
    assert catalog["unmatched"] > 0


def test_columns_have_the_types_a_real_service_uses(stack, demo):
    with contextlib.closing(shop(stack)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "select table_name, column_name, column_type from information_schema.columns "
            "where table_schema = 'shop'"
        )
        types = {(t, c): ty for t, c, ty in cursor.fetchall()}
        cursor.execute(
            "select count(*) from information_schema.referential_constraints "
            "where constraint_schema = 'shop'"
        )
        foreign_keys = cursor.fetchone()[0]
    assert types[("viewing_sessions", "completed")] == "tinyint(1)"
    assert types[("payments", "amount")] == "decimal(10,2)"
    assert types[("viewing_sessions", "started_at")] == "datetime"
    assert all(types[(t, "updated_at")] == "datetime" for t in TABLES)
    assert foreign_keys == 4


def test_stand_in_serves_the_generated_movies(stack, demo):
    tmdb = demo["manifest"]["tmdb"]
    url = f"http://127.0.0.1:{stack.tmdb_port}/3/discover/movie?with_genres=27&language=pt-BR"
    token = stack.env["CINELAKE_TMDB_STANDIN_KEY"]
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        page = json.load(response)
    assert page["total_results"] == tmdb["horror_movies"] > 0
    assert len(page["results"]) == min(20, tmdb["horror_movies"])


def test_shared_titles_match_csv_titles_up_to_case_and_accents(stack, demo):
    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    movies = [
        json.loads(line)
        for line in (stack.home / "demo" / "tmdb_movies.jsonl").read_text().splitlines()
    ]
    shared = {m["imdb_id"]: m for m in movies if m["imdb_id"]}
    tmdb = demo["manifest"]["tmdb"]
    assert len(shared) == tmdb["shared_with_csv"] and len(movies) - len(shared) == tmdb["tmdb_only"]
    csv_titles = {}
    for line in Path(demo["manifest"]["files"]["movies.csv"]["path"]).read_bytes().splitlines()[1:]:
        try:
            fields = line.decode("utf-8").split("|")
        except UnicodeDecodeError:  # the invalid_utf8 defect: the title is garbled on purpose
            continue
        if len(fields) == 15 and fields[0] in shared:
            csv_titles.setdefault(fields[0], (fields[1].strip().lstrip('"'), fields[3]))
    exact = 0
    for imdb_id, (title, year) in csv_titles.items():
        movie = shared[imdb_id]
        assert fold(movie["title_pt_br"]) == fold(title)
        assert (
            movie["release_date"][:4] == year or not year.isdigit() or not 1870 <= int(year) <= 2100
        )
        exact += movie["title_pt_br"] == title
    assert len(csv_titles) - exact >= sum(tmdb["title_variants"].values()) > 0


def test_advance_day_works_repeatedly(stack, demo):
    """Last in this module: it changes the shop database."""
    max_before = scalar(stack, "select max(updated_at) from customers")
    for day in (1, 2):
        stack.cinelake("demo-data", "--advance-day")
        manifest = json.loads((stack.home / "demo" / "manifest.json").read_text())
        entry = manifest["shop"]["days"][-1]
        start = dt.datetime.combine(AS_OF, dt.time()) + dt.timedelta(days=day - 1)
        assert entry["day"] == day and entry["date"] == start.date().isoformat()
        for table in TABLES:
            assert (
                scalar(stack, f"select count(*) from {table}") == manifest["shop"]["tables"][table]
            )
        # every change of the day is stamped inside the day, after everything before it
        changed = scalar(stack, "select count(*) from customers where updated_at >= %s", start)
        assert changed == entry["updated"]["customers"] + entry["inserted"]["customers"]
        assert (
            scalar(
                stack,
                "select count(*) from customers where updated_at >= %s",
                start + dt.timedelta(days=1),
            )
            == 0
        )
        assert (
            scalar(
                stack,
                "select count(*) from subscriptions where status = 'cancelled' "
                "and cancelled_at >= %s",
                start,
            )
            >= entry["updated"]["subscriptions"]
            >= 1
        )
        assert entry["inserted"]["viewing_sessions"] > 0
        assert (
            scalar(
                stack,
                "select min(updated_at) from viewing_sessions where session_id > %s",
                manifest["shop"]["tables"]["viewing_sessions"]
                - entry["inserted"]["viewing_sessions"],
            )
            >= start
        )
    assert max_before < start
    state = json.loads((stack.home / "demo" / "state.json").read_text())
    assert state["day"] == 2
