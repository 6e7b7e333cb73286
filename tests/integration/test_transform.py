"""Silver and gold through the Thrift server, on the main job's demo and build (conftest's
main_job: demo seed 11 on 2026-04-01, ingested that day, `cinelake build --daily` building
everything on its first run): every injected defect is quarantined or collapsed, none vanish;
gold figures equal the same figures computed from the raw sources; then three daily runs, each
landing several scenarios (a simulated day: SCD2 has the new versions and the incremental models
rewrote only the new day's partition; corrections at the source; rows that wait for a key),
after which every silver and gold table equals a full rebuild. This module changes the main
job's sources and warehouse, so it runs after every module that reads them (pytest runs the
files by name: test_transform is the last of them)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pymysql
import pytest

from cinelake import lake
from tests.helpers import warehouse_equality
from tests.helpers.stack import (
    MAIN_JOB_DEMO,
    MAIN_STACK_GROUP,
    Stack,
    daily_run,
    minutes_per_customer,
)

# on the main job's stack: one xdist worker runs these modules, in order (tests/conftest.py)
# changes_main_stack: it lands new days on the main job's build, so it runs after the other
# modules of the group, which check that build (tests/conftest.py)
pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group(MAIN_STACK_GROUP),
    pytest.mark.changes_main_stack,
]

AS_OF = "2026-04-01"
CSV_QUARANTINE = ("malformed_id", "unparsable_number", "year_out_of_range", "rating_out_of_range")
SESSION_QUARANTINE = {
    "negative_minutes": "session_negative_minutes",
    "rating_out_of_range": "session_rating_out_of_range",
    "unknown_customer": "session_unknown_customer",
    "unknown_title": "session_unknown_title",
}


def on_day(stack: Stack, load_date: str) -> Stack:
    """The stack, ingesting with a pinned load date."""
    return Stack(home=stack.home, env={**stack.env, "CINELAKE_LOAD_DATE": load_date})


def shop_owner(stack: Stack) -> pymysql.Connection:
    """The shop's owner account: the tests below change the source as an application would."""
    return pymysql.connect(host="127.0.0.1", port=stack.mysql_port, user="shop_owner",
                           password="shop-owner-dev", database="shop")  # fmt: skip


def at_the_shop(stack: Stack, *statements: tuple[str, tuple]) -> tuple:
    """Run statements at the shop as its owner, in one transaction, as an application
    would; the first row of the last one (for a select of the next ids)."""
    owner = shop_owner(stack)
    with contextlib.closing(owner), owner.cursor() as cursor:
        for statement, params in statements:
            cursor.execute(statement, params)
        owner.commit()
        return cursor.fetchone()


def partition_files(stack, table: str = "silver.db/stg_shop__viewing_sessions") -> dict:
    """Files (name, mtime) of each session_date partition of an incremental model."""
    table = stack.home / "spark" / "warehouse" / table
    return {
        part.name: {(f.name, f.stat().st_mtime_ns) for f in part.glob("*.parquet")}
        for part in table.glob("session_date=*")
    }


@pytest.fixture(scope="module")
def stack(main_stack):
    """The main job's stack, for every test here (it overrides the session's `stack`)."""
    return main_stack


@pytest.fixture(scope="module")
def silver(stack, main_job):
    """The main job's build: it kept the state the daily runs below compare with. (A build
    before any ingestion, on an empty lake, is test_metastore's.)"""
    manifest = json.loads((stack.home / "demo" / "manifest.json").read_text())
    assert manifest["generator"]["as_of"] == AS_OF == MAIN_JOB_DEMO["CINELAKE_LOAD_DATE"]
    return {"build": main_job, "manifest": manifest}


def test_silver_and_gold_build_and_tests_pass(silver):
    assert "ERROR=0" in silver["build"].stdout and "SKIP=0" in silver["build"].stdout
    assert "rows_accounted_for" in silver["build"].stdout


def test_bronze_tables_are_registered_as_delta_with_their_load_days(stack, silver):
    tables = {row[1] for row in stack.thrift_rows("show tables in bronze")}
    assert {"csv__movies", "tmdb__discover_movies", "shop__viewing_sessions"} <= tables
    [detail] = stack.thrift_rows("describe detail bronze.shop__customers")
    assert detail[0] == "delta" and json.loads(detail[7]) == list(lake.PARTITION_COLUMNS)
    assert stack.thrift_rows(
        "select distinct _load_year, _load_month, _load_day from bronze.shop__customers"
    ) == [(2026, 4, 1)]


@pytest.mark.parametrize("kind", ["movies", "series"])
def test_every_csv_defect_is_quarantined_or_collapsed(stack, silver, kind):
    entry = silver["manifest"]["files"][f"{kind}.csv"]
    reasons = dict(
        stack.thrift_rows(
            f"select quarantine_reason, count(*) from silver.quarantine_csv__{kind} group by 1",
        )
    )
    assert reasons == {reason: entry["defects"][reason] for reason in CSV_QUARANTINE}
    [(credits, represented)] = stack.thrift_rows(
        f"select count(*), sum(source_row_count) from silver.stg_csv__{kind}"
    )
    assert represented - credits == entry["defects"]["exact_duplicate_row"]
    # every line that parsed at ingestion is a credit, a duplicate or quarantined
    [(bronze,)] = stack.thrift_rows(f"select count(*) from bronze.csv__{kind}")
    assert bronze == represented + sum(reasons.values())


def test_cleaned_defects_stay_in_silver_cleaned(stack, silver):
    [(padded, quoted)] = stack.thrift_rows(
        "select sum(cast(primary_title != trim(primary_title) as int)), "
        "sum(cast(primary_title like '\"%' as int)) from silver.stg_csv__movies",
    )
    assert padded == 0 and quoted == 0


def test_every_session_defect_is_quarantined(stack, silver):
    defects = silver["manifest"]["shop"]["defects"]
    reasons = dict(
        stack.thrift_rows(
            "select quarantine_reason, count(*) "
            "from silver.quarantine_shop__viewing_sessions group by 1",
        )
    )
    assert reasons == {reason: defects[kind] for reason, kind in SESSION_QUARANTINE.items()}
    [(valid,)] = stack.thrift_rows("select count(*) from silver.stg_shop__viewing_sessions")
    assert valid + sum(reasons.values()) == silver["manifest"]["shop"]["tables"]["viewing_sessions"]


def test_no_pii_in_silver(stack, silver):
    columns = {row[0] for row in stack.thrift_rows("describe silver.stg_shop__customer_versions")}
    assert not columns & {"first_name", "last_name", "email", "birth_date"}
    assert {"email_hash", "age_band"} <= columns


def test_gold_minutes_per_customer_equal_the_shop_database(stack, silver):
    from_shop, from_gold = minutes_per_customer(stack)
    assert len(from_gold) > 0 and from_gold == from_shop


def test_gold_payments_per_month_equal_the_shop_database(stack, silver):
    expected = {
        month: (n, total)
        for month, n, total in stack.mysql_rows(
            "select date_format(paid_at, '%Y-%m'), count(*), sum(amount) from payments group by 1",
        )
    }
    actual = {
        month: (n, total)
        for month, n, total in stack.thrift_rows(
            "select date_format(paid_date, 'yyyy-MM'), count(*), sum(amount) "
            "from gold.fct_payments group by 1",
        )
    }
    assert actual == expected


INT = re.compile(r"^-?\d+$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def horror_titles_per_year_from_files(manifest: dict) -> Counter:
    """Parse the raw CSV files with the documented rules, independently of dbt."""
    max_year = dt.date.today().year + 10
    horror_years: dict[str, int] = {}
    for entry in manifest["files"].values():
        columns = entry["columns"]
        data = Path(entry["path"]).read_bytes().removeprefix(b"\xef\xbb\xbf")
        for raw in data.split(b"\n")[1:]:
            try:
                fields = raw.rstrip(b"\r").decode("utf-8").split("|")
            except UnicodeDecodeError:
                continue
            if len(fields) != len(columns):
                continue
            value = {
                c: (None if f.strip() in ("\\N", "") else f.strip())
                for c, f in zip(columns, fields, strict=True)
            }
            if not value["id"] or not re.fullmatch(r"tt\d{7,}", value["id"]):
                continue
            numbers = [(value[c], INT) for c in ("anoLancamento", "tempoMinutos", "numeroVotos")]
            numbers += [(value.get("anoTermino"), INT), (value["notaMedia"], DECIMAL)]
            if any(v is not None and not pattern.match(v) for v, pattern in numbers):
                continue
            year = int(value["anoLancamento"]) if value["anoLancamento"] else None
            if year is not None and not 1870 <= year <= max_year:
                continue
            if value["notaMedia"] is not None and not 0 <= float(value["notaMedia"]) <= 10:
                continue
            if "Horror" in (value["genero"] or "").split(","):
                horror_years[value["id"]] = year
    return Counter(horror_years.values())


def test_gold_horror_titles_per_year_equal_the_csv_files(stack, silver):
    expected = horror_titles_per_year_from_files(silver["manifest"])
    actual = Counter(
        dict(
            stack.thrift_rows(
                "select start_year, count(*) from gold.dim_title "
                "where is_horror and imdb_id is not null group by 1",
            )
        )
    )
    assert sum(expected.values()) > 0 and actual == expected


def test_gold_horror_top_titles_are_ranked_on_ids(stack, silver):
    [(years, max_rank, by_title)] = stack.thrift_rows(
        """
        select count(distinct release_year), max(rank_by_votes),
               count(distinct title_key) - count(*)
        from gold.horror_top_titles_yearly""",
    )
    assert years > 0 and max_rank <= 10 and by_title == 0


# The daily runs below are three, each landing several scenarios at once, on rows of their
# own, as a real day lands many changes (a daily run costs minutes here: one per scenario made
# this module the longest of the suite). Each fixture changes the shop, ingests, runs the daily
# build once and notes what only that moment can show; the tests after it, in file order,
# check its scenarios. Each fixture needs the one before, so any test selected alone runs the
# days it stands on, in order.


@pytest.fixture(scope="module")
def first_day(stack, silver) -> dict:
    """Daily run 1 (load day 2026-04-02): a day of shop activity (`demo-data --advance-day`)
    and, the same day, two catalog titles that no CSV file knows, each with sessions, gain a
    match: one the IMDb id of a CSV title, the other the id of a TMDB movie that no title had
    matched. The partition files before the run are noted for the tests."""
    target = Path(stack.env["DBT_TARGET_PATH"])
    before = {
        "sessions": partition_files(stack),
        "facts": partition_files(stack, "gold.db/fct_viewing_sessions"),
    }
    assert before["sessions"] and f"session_date={AS_OF}" not in before["sessions"]
    matched = stack.thrift_rows(
        "select conformed.catalog_title_id, min(f.title_key), max(f.title_key) "
        "from silver.int_catalog_titles_conformed as conformed "
        "inner join gold.fct_viewing_sessions as f "
        "on f.catalog_title_id = conformed.catalog_title_id "
        "where conformed.conformed_title_id like 'catalog:%' group by 1 order by 1 limit 2"
    )
    assert len(matched) == 2 and all(low == high for _, low, high in matched)
    [(imdb_id,)] = stack.thrift_rows("select min(title_id) from silver.int_titles_deduplicated")
    [(tmdb_id,)] = stack.thrift_rows(
        "select min(tmdb_id) from silver.int_titles_matched where match_outcome = 'tmdb_only' "
        "and tmdb_id not in (select tmdb_id from silver.stg_shop__catalog_titles "
        "where tmdb_id is not null)"
    )
    (to_imdb, imdb_side_key, _), (to_tmdb, tmdb_side_key, _) = matched

    stack.cinelake("demo-data", "--advance-day")
    day = json.loads((stack.home / "demo" / "manifest.json").read_text())["shop"]["days"][-1]
    at_the_shop(
        stack,
        ("update catalog_titles set imdb_id = %s, updated_at = '2026-04-04 09:00:00'"
         " where catalog_title_id = %s", (imdb_id, to_imdb)),
        ("update catalog_titles set tmdb_id = %s, updated_at = '2026-04-04 09:00:00'"
         " where catalog_title_id = %s", (tmdb_id, to_tmdb)),
    )  # fmt: skip
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    on_day(stack, "2026-04-02").cinelake("ingest", "shop")
    daily_run(stack, since)
    results = json.loads((target / "run_results.json").read_text())["results"]
    checked = (target / "run" / "cinelake" / "models" / "gold" / "streaming").rglob(
        "not_null_fct_viewing_sessions_title_key.sql"
    )
    return {
        "before": before,
        "day": day,
        "since": since,
        "built": {result["unique_id"].removeprefix("model.cinelake.") for result in results},
        "kept": kept(results),
        "row_test_sql": next(checked).read_text(),
        "staging_sql": {
            name: (
                target / "compiled" / "cinelake" / "models" / "silver" / "shop" / f"{name}.sql"
            ).read_text()
            for name in ("stg_shop__viewing_sessions", "stg_shop__payments")
        },
        "matches": {
            to_imdb: (imdb_side_key, imdb_id),
            to_tmdb: (tmdb_side_key, f"tmdb:{tmdb_id}"),
        },
    }


def test_after_a_day_scd2_has_new_versions_and_only_the_new_partition_is_written(stack, first_day):
    """The daily run, as scripts/pipeline.sh runs it once a build has succeeded: source
    freshness, then selectors.yml's daily against the state of the last build."""
    before, day = first_day["before"], first_day["day"]
    # the row tests of the big incremental models read only the rows written since: from the
    # second after (Delta could not skip a file on `built_at > since`: see _shop__models.yml)
    assert (
        f"built_at >= timestamp '{first_day['since']}' + interval 1 second"
        in first_day["row_test_sql"]
    )
    # the staging models of the events read only the keys the day touched, listed
    # (daily_recomputed_keys): no model changed since the main job's build
    for key, name in (
        ("session_id", "stg_shop__viewing_sessions"),
        ("payment_id", "stg_shop__payments"),
    ):
        listed = rf"where {key} between \d+ and \d+ and {key} in \(\d+"
        assert re.search(listed, first_day["staging_sql"][name]), name
    built = first_day["built"]
    # the shop landed a day: its models and everything downstream; the CSV files did not
    assert {"stg_shop__viewing_sessions", "fct_viewing_sessions", "dim_customer"} <= built
    assert "ops_dbt_build_history" in built  # the run history, always
    assert not {"stg_csv__movies", "int_titles_deduplicated"} & built

    for table, files_before in (
        ("silver.db/stg_shop__viewing_sessions", before["sessions"]),
        ("gold.db/fct_viewing_sessions", before["facts"]),
    ):
        after = partition_files(stack, table)
        assert set(after) == set(files_before) | {f"session_date={AS_OF}"}, table
        assert all(after[name] == files for name, files in files_before.items()), table
    [(new_sessions,)] = stack.thrift_rows(
        f"select count(*) from silver.stg_shop__viewing_sessions where session_date = '{AS_OF}'",
    )
    [(new_quarantined,)] = stack.thrift_rows(
        "select count(*) from silver.quarantine_shop__viewing_sessions "
        f"where to_date(started_at) = '{AS_OF}'",
    )
    assert new_sessions + new_quarantined == day["inserted"]["viewing_sessions"]

    versions = dict(
        stack.thrift_rows(
            "select n, count(*) from (select customer_id, count(*) as n "
            "from silver.stg_shop__customer_versions group by 1) group by 1",
        )
    )
    assert versions[2] == day["updated"]["customers"]
    [(open_windows,)] = stack.thrift_rows(
        "select count(*) from silver.stg_shop__customer_versions where "
        "not is_current and (valid_to is null or valid_to <= valid_from)",
    )
    assert open_windows == 0


def test_a_catalog_title_that_gains_a_match_keeps_its_key_and_no_old_date_is_rewritten(
    stack, first_day
):
    """Durable title keys (int_title_keys), after the first day's two new matches. Each
    catalog title keeps its key in the fact, no fact date is rewritten (the test above checks
    the files), dim_title resolves the old key to the title it belongs to now, and the marts
    count its sessions under that title's canonical key."""
    for catalog_title_id, (key, _) in first_day["matches"].items():
        assert stack.thrift_rows(
            "select distinct title_key from gold.fct_viewing_sessions "
            f"where catalog_title_id = {catalog_title_id}"
        ) == [(key,)]
    keys = ", ".join(f"'{key}'" for key, _ in first_day["matches"].values())
    resolved = {
        key: (conformed, canonical)
        for key, conformed, canonical in stack.thrift_rows(
            "select title_key, conformed_title_id, canonical_title_key from gold.dim_title "
            f"where title_key in ({keys})"
        )
    }
    for key, matched_id in first_day["matches"].values():
        assert resolved[key][0] == matched_id
    for key, (conformed, canonical) in resolved.items():
        # one canonical row per title; the sessions under every key of the title count for it
        assert stack.thrift_rows(
            "select title_key from gold.dim_title "
            f"where conformed_title_id = '{conformed}' and title_key = canonical_title_key"
        ) == [(canonical,)]
        [(sessions,)] = stack.thrift_rows(
            "select count(*) from gold.fct_viewing_sessions as f inner join gold.dim_title as t "
            f"on f.title_key = t.title_key where t.canonical_title_key = '{canonical}'"
        )
        assert stack.thrift_rows(
            f"select view_count from gold.title_engagement where title_key = '{canonical}'"
        ) == [(sessions,)]
        if key != canonical:
            assert not stack.thrift_rows(
                f"select 1 from gold.title_engagement where title_key = '{key}'"
            )


LONELY_DAY = "2026-04-03"
ON_THE_LONELY_DAY = {
    "silver.stg_shop__viewing_sessions": "session_date",
    "gold.fct_viewing_sessions": "session_date",
    "gold.fct_payments": "paid_date",
}


def rows_on_the_lonely_day(stack: Stack) -> dict[str, int]:
    counted = {
        table: stack.thrift_rows(f"select count(*) from {table} where {column} = '{LONELY_DAY}'")
        for table, column in ON_THE_LONELY_DAY.items()
    }
    return {table: rows[0][0] for table, rows in counted.items()}


def held(stack: Stack, tables: dict[str, tuple[str, int]]) -> dict[str, list]:
    """The rows of each table whose column holds the key: {table: (column, key)}."""
    return {
        table: stack.thrift_rows(f"select {column} from {table} where {column} = {key}")
        for table, (column, key) in tables.items()
    }


def reasons_held(stack: Stack, quarantines: dict[str, tuple[str, int]]) -> dict[str, list]:
    """The quarantine reasons each quarantine holds for the key: {table: (column, key)}."""
    return {
        table: stack.thrift_rows(f"select quarantine_reason from {table} where {column} = {key}")
        for table, (column, key) in quarantines.items()
    }


def move_one_session_and_break_another(stack: Stack) -> dict:
    """One session starts three days later, another gets negative minutes."""
    (moved, moved_to), (broken, _) = stack.thrift_rows(
        "select session_id, cast(date_add(session_date, 3) as string) "
        "from gold.fct_viewing_sessions order by session_id limit 2"
    )
    at_the_shop(
        stack,
        ("update viewing_sessions set started_at = started_at + interval 3 day,"
         " updated_at = '2026-04-06 07:00:00' where session_id = %s", (moved,)),
        ("update viewing_sessions set minutes_watched = -5, updated_at = '2026-04-06 07:00:00'"
         " where session_id = %s", (broken,)),
    )  # fmt: skip
    return {"moved": moved, "moved_to": moved_to, "broken": broken}


def land_a_lonely_day(stack: Stack) -> dict:
    """A session and a payment on LONELY_DAY, which held neither."""
    assert set(rows_on_the_lonely_day(stack).values()) == {0}
    subscription, customer, title = stack.thrift_rows(
        "select subscription_id, customer_id,"
        " (select min(catalog_title_id) from gold.fct_viewing_sessions)"
        " from silver.stg_shop__subscriptions order by subscription_id limit 1"
    )[0]
    session, payment = at_the_shop(stack, (
        "select (select max(session_id) + 1 from viewing_sessions), max(payment_id) + 1"
        " from payments",
        (),
    ))  # fmt: skip
    at_the_shop(
        stack,
        ("insert into viewing_sessions values (%s, %s, %s, 'tv', '2026-04-03 20:00:00', 50, 1,"
         " 5, '2026-04-06 07:30:00')", (session, customer, title)),
        ("insert into payments values (%s, %s, %s, 19.90, 'BRL', 'paid', 'pix',"
         " '2026-04-03 08:06:00', '2026-04-06 07:30:00')", (payment, subscription, customer)),
    )  # fmt: skip
    return {"session": session, "payment": payment}


def sign_up_without_a_city(stack: Stack) -> dict:
    """A new customer with a blank city subscribes, pays and watches the same day; a known
    customer's valid subscription, payment and session land with them."""
    customer, subscription, payment, session = at_the_shop(stack, (
        "select max(customer_id) + 1, (select max(subscription_id) + 1 from subscriptions),"
        " (select max(payment_id) + 1 from payments),"
        " (select max(session_id) + 1 from viewing_sessions) from customers",
        (),
    ))  # fmt: skip
    plan, title, known = stack.thrift_rows(
        "select (select min(plan_id) from silver.stg_shop__plans),"
        " (select min(catalog_title_id) from gold.fct_viewing_sessions),"
        " (select min(customer_id) from silver.stg_shop__customers)"
    )[0]
    at_the_shop(
        stack,
        ("insert into customers values (%s, 'Ana', 'Lima', %s, '1990-05-01', '', 'PE', 'BR',"
         " '2026-04-06 08:00:00', '2026-04-06 08:00:00')",
         (customer, f"ana.lima.{customer}@example.com")),
        ("insert into subscriptions values (%s, %s, %s, 'active', 1, '2026-04-06 08:05:00',"
         " null, '2026-04-06 08:05:00')", (subscription, customer, plan)),
        ("insert into payments values (%s, %s, %s, 19.90, 'BRL', 'paid', 'pix',"
         " '2026-04-06 08:06:00', '2026-04-06 08:06:00')", (payment, subscription, customer)),
        ("insert into viewing_sessions values (%s, %s, %s, 'tv', '2026-04-06 20:00:00', 50, 1,"
         " 5, '2026-04-06 21:00:00')", (session, customer, title)),
        # the valid companions of the day, for a customer silver knows
        ("insert into subscriptions values (%s, %s, %s, 'active', 1, '2026-04-06 08:05:00',"
         " null, '2026-04-06 08:05:00')", (subscription + 1, known, plan)),
        ("insert into payments values (%s, %s, %s, 19.90, 'BRL', 'paid', 'pix',"
         " '2026-04-06 08:06:00', '2026-04-06 08:06:00')", (payment + 1, subscription + 1, known)),
        ("insert into viewing_sessions values (%s, %s, %s, 'tv', '2026-04-06 20:00:00', 50, 1,"
         " 5, '2026-04-06 21:00:00')", (session + 1, known, title)),
        # a payment of that valid subscription charged to the new customer: its subscription
        # is known, its customer is not (fct_payments keys a payment to its own customer)
        ("insert into payments values (%s, %s, %s, 9.90, 'BRL', 'paid', 'pix',"
         " '2026-04-06 08:07:00', '2026-04-06 08:07:00')",
         (payment + 2, subscription + 1, customer)),
    )  # fmt: skip
    waiting = {
        "silver.quarantine_shop__subscriptions": ("subscription_id", subscription),
        "silver.quarantine_shop__payments": ("payment_id", payment),
        "silver.quarantine_shop__viewing_sessions": ("session_id", session),
    }
    taken = {
        "silver.stg_shop__subscriptions": ("subscription_id", subscription),
        "silver.stg_shop__payments": ("payment_id", payment),
        "gold.fct_payments": ("payment_id", payment),
        "silver.stg_shop__viewing_sessions": ("session_id", session),
        "gold.fct_viewing_sessions": ("session_id", session),
    }
    companions = {t: (column, key + 1) for t, (column, key) in taken.items()}
    charged = {
        "waiting": {"silver.quarantine_shop__payments": ("payment_id", payment + 2)},
        "taken": {
            "silver.stg_shop__payments": ("payment_id", payment + 2),
            "gold.fct_payments": ("payment_id", payment + 2),
        },
    }
    return {
        "customer": customer,
        "waiting": waiting,
        "taken": taken,
        "companions": companions,
        "charged": charged,
    }


def move_to_a_plan_not_valid_yet(stack: Stack) -> dict:
    """A subscription with payments moves to a new plan whose price is negative (the plan
    waits in quarantine as negative_price, the subscription's new version as unknown_plan),
    and is charged after the move; the next day the shop fixes the price, and nothing else."""
    [(subscription, old_plan, customer, paid_before)] = stack.thrift_rows(
        "select s.subscription_id, s.plan_id, s.customer_id, max(p.payment_id)"
        " from silver.stg_shop__subscriptions as s"
        " inner join gold.fct_payments as p on s.subscription_id = p.subscription_id"
        " where p.paid_at < timestamp '2026-04-06 00:00:00'"
        " and s.customer_id > (select min(customer_id) from silver.stg_shop__customers)"
        " group by 1, 2, 3 order by 1 desc limit 1"
    )
    plan, payment = at_the_shop(stack, (
        "select (select max(plan_id) + 1 from plans), (select max(payment_id) + 1 from payments)",
        (),
    ))  # fmt: skip
    at_the_shop(
        stack,
        ("insert into plans values (%s, 'Premium Plus', -1.00, 'BRL', 4, 1,"
         " '2026-04-06 07:00:00', '2026-04-06 07:00:00')", (plan,)),
        ("update subscriptions set plan_id = %s, updated_at = '2026-04-06 09:00:00'"
         " where subscription_id = %s", (plan, subscription)),
        ("insert into payments values (%s, %s, %s, 39.90, 'BRL', 'paid', 'pix',"
         " '2026-04-06 10:00:00', '2026-04-06 10:00:00')", (payment, subscription, customer)),
    )  # fmt: skip
    return {"plan": plan, "old_plan": old_plan, "paid_before": paid_before, "paid_after": payment}


def plans_paid(stack: Stack, moved: dict) -> dict[str, int | None]:
    """The plan id fct_payments keys each payment of the moved subscription to."""
    plans = dict(stack.thrift_rows(
        "select p.payment_id, d.plan_id from gold.fct_payments as p"
        " inner join gold.dim_plan as d on p.plan_key = d.plan_key"
        f" where p.payment_id in ({moved['paid_before']}, {moved['paid_after']})"
    ))  # fmt: skip
    return {"before": plans.get(moved["paid_before"]), "after": plans.get(moved["paid_after"])}


@pytest.fixture(scope="module")
def corrections_day(stack, first_day) -> dict:
    """Daily run 2 (load day 2026-04-06): corrections and gaps at the source, each on rows
    of its own (the scenarios above: a session moved and another broken; a lonely day; a
    customer without a city and the rows that wait for it; a subscription moved to a plan
    that waits). What the next day changes is noted after the run: the rows on the lonely
    day, where the waiting rows stand, the plans the moved subscription's payments hold."""
    corrected = move_one_session_and_break_another(stack)
    lonely = land_a_lonely_day(stack)
    signed_up = sign_up_without_a_city(stack)
    moved = move_to_a_plan_not_valid_yet(stack)
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    on_day(stack, "2026-04-06").cinelake("ingest", "shop")
    daily_run(stack, since)
    return {
        "corrected": corrected,
        "moved": {**moved, "held": plans_paid(stack, moved)},
        "lonely": {**lonely, "held": rows_on_the_lonely_day(stack)},
        "signed_up": {
            **signed_up,
            "held": {
                name: held(stack, signed_up[name]) for name in ("waiting", "taken", "companions")
            },
            "charged_held": {
                name: held(stack, signed_up["charged"][name]) for name in ("waiting", "taken")
            },
            "charged_reasons": reasons_held(stack, signed_up["charged"]["waiting"]),
        },
    }


@pytest.fixture(scope="module")
def day_after(stack, corrections_day) -> dict:
    """Daily run 3 (load day 2026-04-07): the lonely day's session breaks a rule and its
    payment moves to 2026-04-07; the customer's city is fixed; the waiting plan's price is
    fixed; nothing else."""
    lonely, signed_up = corrections_day["lonely"], corrections_day["signed_up"]
    at_the_shop(
        stack,
        ("update plans set monthly_price = 39.90, updated_at = '2026-04-07 09:00:00'"
         " where plan_id = %s", (corrections_day["moved"]["plan"],)),
        ("update viewing_sessions set minutes_watched = -5, updated_at = '2026-04-07 10:00:00'"
         " where session_id = %s", (lonely["session"],)),
        ("update payments set paid_at = '2026-04-07 08:06:00', updated_at = '2026-04-07 10:00:00'"
         " where payment_id = %s", (lonely["payment"],)),
        ("update customers set city = 'Olinda', updated_at = '2026-04-07 09:00:00'"
         " where customer_id = %s", (signed_up["customer"],)),
    )  # fmt: skip
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    on_day(stack, "2026-04-07").cinelake("ingest", "shop")
    versions = warehouse_equality.versions(stack.thrift_port)
    build = daily_run(stack, since)
    target = Path(stack.env["DBT_TARGET_PATH"])
    return {
        "build": build,
        "since": since,
        "kept": kept(json.loads((target / "run_results.json").read_text())["results"]),
        "versions": {"before": versions, "after": warehouse_equality.versions(stack.thrift_port)},
    }


def kept(results: list[dict]) -> set[str]:
    """The models a build kept as they stood (keep_unchanged): status KEPT in run_results."""
    return {
        result["unique_id"].removeprefix("model.cinelake.")
        for result in results
        if result["unique_id"].startswith("model.") and result["message"] == "KEPT"
    }


# the models that opt in to keep_unchanged and stand downstream of the shop's catalog
KEPT_WHEN_NO_TITLE_CHANGES = {
    "silver.int_catalog_titles_conformed",
    "silver.int_title_keys",
    "gold.bridge_title_artist",
    "gold.bridge_title_genre",
}


def test_a_session_moved_to_another_day_or_quarantined_leaves_the_day_it_stood_on(
    stack, corrections_day
):
    """Corrections at the source: one session starts three days later, another breaks a rule
    (negative minutes). The daily run rewrites the day each stood on, not only the day of its
    new version: the moved session is once in silver and gold, on its new day; the broken one
    is quarantined and in neither. (Rewriting only the new versions' days left the moved
    session twice in silver, failing every later build on its unique test, and left the
    broken one counted in gold.)"""
    corrected = corrections_day["corrected"]
    moved, broken = corrected["moved"], corrected["broken"]
    for table in ("silver.stg_shop__viewing_sessions", "gold.fct_viewing_sessions"):
        assert stack.thrift_rows(
            f"select session_id, cast(session_date as string) from {table} "
            f"where session_id in ({moved}, {broken})"
        ) == [(moved, corrected["moved_to"])], table
    assert stack.thrift_rows(
        "select quarantine_reason from silver.quarantine_shop__viewing_sessions "
        f"where session_id = {broken}"
    ) == [("negative_minutes",)]


def test_a_day_whose_every_row_moved_or_left_is_emptied(stack, corrections_day, day_after):
    """A session and a payment alone on their day (2026-04-03); the next day, the session
    breaks a rule and the payment moves to 2026-04-07. Their old day must be left empty in
    silver and gold. (A dynamic insert overwrite replaces only the days that receive a row:
    the day kept both, the payment stood twice in fct_payments and every later build failed
    on its unique test.)"""
    lonely = corrections_day["lonely"]
    assert lonely["held"] == dict.fromkeys(ON_THE_LONELY_DAY, 1)
    assert set(rows_on_the_lonely_day(stack).values()) == {0}
    session, payment = lonely["session"], lonely["payment"]
    for table in ("silver.stg_shop__payments", "gold.fct_payments"):
        assert stack.thrift_rows(
            f"select cast(paid_date as string) from {table} where payment_id = {payment}"
        ) == [("2026-04-07",)], table
    for table in ("silver.stg_shop__viewing_sessions", "gold.fct_viewing_sessions"):
        assert not stack.thrift_rows(f"select 1 from {table} where session_id = {session}")
    assert stack.thrift_rows(
        "select quarantine_reason from silver.quarantine_shop__viewing_sessions "
        f"where session_id = {session}"
    ) == [("negative_minutes",)]


def test_rows_waiting_for_a_key_enter_silver_and_gold_when_the_key_becomes_valid(
    stack, corrections_day, day_after
):
    """A new customer signs up with a blank city (quarantined: missing_city), subscribes, pays
    and watches the same day: the subscription waits as unknown_customer, the payment as
    unknown_subscription, the session as unknown_customer. The next day the shop fixes the
    city, and nothing else: the daily run takes the whole chain (customer, then subscription,
    then payment; and the session) into silver and gold, the quarantines let it go, and every
    accounting test stays green, and the day's row tests read the rows that entered: they
    carry the stamp of the run that wrote them (built_at), though they landed the day
    before. A valid subscription, payment and session of a known customer land with them, as
    on any real day. A payment of that known customer's subscription charged to the new
    customer waits too, as unknown_customer (before, it entered silver, and the inner join
    of fct_payments to its customer left it out of gold, quarantined nowhere), and enters
    with the rest. (With a watermark on landing, those moved the watermark past the waiting
    rows, which never landed again: they left the quarantines, never entered silver, and
    every later build failed on rows_accounted_for. With row tests on the rows landed since
    the last build, no row test of the day read them.)"""
    signed_up = corrections_day["signed_up"]
    waiting, taken, companions = (signed_up[name] for name in ("waiting", "taken", "companions"))
    # the day they landed: the chain waits, the companions are in
    assert signed_up["held"]["waiting"] == {t: [(key,)] for t, (_, key) in waiting.items()}
    assert signed_up["held"]["taken"] == {t: [] for t in taken}
    assert signed_up["held"]["companions"] == {t: [(key,)] for t, (_, key) in companions.items()}
    # the payment of a known subscription charged to the new customer waits for it too
    charged = signed_up["charged"]
    assert signed_up["charged_reasons"] == {t: [("unknown_customer",)] for t in charged["waiting"]}
    assert signed_up["charged_held"]["taken"] == {t: [] for t in charged["taken"]}
    # the day after the fix
    assert held(stack, taken) == {t: [(key,)] for t, (_, key) in taken.items()}
    assert held(stack, waiting) == {t: [] for t in waiting}
    assert held(stack, charged["taken"]) == {
        t: [(key,)] for t, (_, key) in charged["taken"].items()
    }
    assert held(stack, charged["waiting"]) == {t: [] for t in charged["waiting"]}
    since = day_after["since"]
    for table, (column, key) in taken.items():
        if table == "silver.stg_shop__subscriptions":
            continue  # no row test on the day: its tests read every row
        assert stack.thrift_rows(
            f"select loaded_at < timestamp '{since}', built_at > timestamp '{since}' "
            f"from {table} where {column} = {key}"
        ) == [(True, True)], table


def test_a_payment_holds_the_plan_in_force_when_charged_even_one_that_was_valid_late(
    stack, corrections_day, day_after
):
    """fct_payments keys a payment to the plan of the subscription version in force when it
    was charged. A subscription moves to a plan that waits in quarantine (a negative price),
    and is charged after the move: that payment holds the old plan until the plan is fixed,
    and the daily run of the fix, which lands only the plan, gives it the new one (the
    subscription's version became valid when its plan did: valid_since). A payment before
    the move keeps the old plan throughout. (Keyed to the current plan, every payment of a
    subscription that changed plan was re-keyed, on days across the history.)"""
    moved = corrections_day["moved"]
    assert moved["held"] == {"before": moved["old_plan"], "after": moved["old_plan"]}
    assert plans_paid(stack, moved) == {"before": moved["old_plan"], "after": moved["plan"]}


def test_a_day_that_changes_no_title_keeps_the_key_map_and_the_bridges(stack, first_day, day_after):
    """keep_unchanged (macros/utils/kept_unchanged.sql). The first day changed the matches
    of two catalog titles: int_catalog_titles_conformed read rows that differ from those it
    held, and it, the key map and the bridges were built again (the test of the durable keys
    above checks what they hold). The third day changed no title: each was kept and committed
    nothing, while dim_title, which opts out, was written. The equality test below compares
    every one of them with a rebuild."""
    names = {table.split(".")[1] for table in KEPT_WHEN_NO_TITLE_CHANGES}
    assert not names & first_day["kept"] and names <= first_day["built"]
    assert names <= day_after["kept"], day_after["build"].stdout[-3000:]
    for name in names:
        assert f"{name} kept: " in day_after["build"].stdout, name
    before, after = day_after["versions"]["before"], day_after["versions"]["after"]
    assert {table: after[table] for table in KEPT_WHEN_NO_TITLE_CHANGES} == {
        table: before[table] for table in KEPT_WHEN_NO_TITLE_CHANGES
    }
    assert after["gold.dim_title"] > before["gold.dim_title"]


def test_the_daily_runs_equal_a_full_rebuild_of_the_same_data(stack, first_day, day_after):
    """Incremental equals full. After the main job and the three daily runs above (a day of
    shop activity and catalog titles that gain a match; a session moved, another
    quarantined, a lonely day landed, rows that wait for a key; the lonely day's rows moved
    or left, and the key), every silver and gold table is compared, row for row, with a
    `--full-refresh` of the same bronze (Delta time travel keeps the daily runs' content: no
    copy)."""
    before = warehouse_equality.versions(stack.thrift_port)
    assert {"silver.stg_shop__payments", "gold.fct_viewing_sessions", "gold.dim_title"} <= set(
        before
    )
    stack.dbt("run", "--full-refresh")
    rebuilt = warehouse_equality.versions(stack.thrift_port)
    # every table was written again (int_title_keys, history, by an incremental run)
    assert [t for t in before if rebuilt.get(t, -1) <= before[t]] == []
    assert warehouse_equality.differences(stack.thrift_port, before) == []


def test_a_column_added_at_the_source_reaches_its_bronze_table(stack, silver):
    """Last: it changes the shop schema. The load adds the column to the Delta table's schema,
    which Spark reads from the log: no re-registration, no refresh."""
    owner = shop_owner(stack)
    with contextlib.closing(owner), owner.cursor() as cursor:
        cursor.execute("alter table plans add column promo_code varchar(12) null")
        cursor.execute(
            # after every day above (the plans' cursor stands at the last of them)
            "update plans set promo_code = 'LAUNCH', updated_at = '2026-04-08 10:00:00' "
            "where plan_id = 1"
        )
        owner.commit()
    on_day(stack, "2026-04-08").cinelake("ingest", "shop")

    assert stack.thrift_rows(
        "select plan_id, promo_code from bronze.shop__plans where promo_code is not null"
    ) == [(1, "LAUNCH")]
