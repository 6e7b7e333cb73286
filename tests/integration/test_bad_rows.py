"""No single row stops the pipeline: a title-less film, a negative running time and a customer
whose city became NULL (after the column was made nullable at the source) are quarantined with
their reason while `dbt build` stays green and gold is built; correcting the city at the source
heals the SCD2 history on the next build without touching bronze; the same shop rows landed
twice (a lag-window re-read) collapse; the ops mart shows what was quarantined."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import pyarrow as pa
import pymysql
import pytest
from deltalake import DeltaTable, write_deltalake

from cinelake import lake
from tests.helpers.quarantine_contract import contract_violations
from tests.helpers.stack import (
    Stack,
    daily_run,
    running_stack,
    webhook,
)

pytestmark = pytest.mark.integration

AS_OF = "2026-04-01"
FIX_DAY = "2026-04-02"
REREAD_DAY = "2026-04-03"
TITLELESS_ID, NEGATIVE_RUNTIME_ID = "tt9900001", "tt9900002"
TS = "yyyy-MM-dd HH:mm:ss"  # Spark's format of a timestamp compared with a MySQL DATETIME
CORRECTED_CITY = "Cidade Corrigida"


def text(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def on_day(stack: Stack, load_date: str) -> Stack:
    return Stack(home=stack.home, env={**stack.env, "CINELAKE_LOAD_DATE": load_date})


def shop_owner(stack: Stack) -> pymysql.Connection:
    """The shop's owner account: the tests change the source as an application would."""
    return pymysql.connect(host="127.0.0.1", port=stack.mysql_port, user="shop_owner",
                           password="shop-owner-dev", database="shop")  # fmt: skip


def owner_execute(stack: Stack, *statements: tuple[str, tuple]) -> None:
    owner = shop_owner(stack)
    with contextlib.closing(owner), owner.cursor() as cursor:
        for sql, args in statements:
            cursor.execute(sql, args)
        owner.commit()


# The first build: what the tests read after it (the quarantines and data health, dim_title,
# the customer's dimension and sessions), with everything upstream, and the genre and artist
# dimensions: 46 of the 61 models and the seed, with each data test whose parents are all
# built (cautious). A build of a selection keeps no state (cinelake/build.py), so the next
# `cinelake build --daily` is a first run: everything, the other 15 models (shop children:
# payments, bridges, marts, ops history) for the first time, with their tests, the bad rows
# still in bronze. Unit tests mock their inputs, so no source row reaches them: they are the
# main job's (conftest's main_job).
FIRST_BUILD = (
    "--select",
    "+quarantine_csv__movies", "+dim_title", "+dim_customer", "+fct_viewing_sessions",
    "+ops_data_quality_daily",
    "+dim_genre", "+int_title_genres_split", "+dim_artist", "+dim_date",
    "--indirect-selection", "cautious",
    "--exclude-resource-type", "unit_test",
)  # fmt: skip


def build(stack: Stack, *dbt_args: str):
    """`cinelake build` (dbt build) must exit 0 and skip nothing, whatever the source rows
    are."""
    result = stack.cinelake("build", "--", *dbt_args, check=False)
    assert result.returncode == 0, result.stdout[-6000:]
    assert "ERROR=0" in result.stdout and "SKIP=0" in result.stdout, result.stdout[-3000:]
    return result


def append_movie_lines(stack: Stack) -> list[str]:
    """Two lines in the movies.csv format: a title-less film (`\\N`) and a running time of -5."""
    path = stack.home / "demo" / "csv" / "movies.csv"
    header = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode()
    columns = header.rstrip("\r").split("|")
    base = {c: "\\N" for c in columns}
    base.update(anoLancamento="1999", tempoMinutos="95", genero="Horror", notaMedia="6.5",
                numeroVotos="120", generoArtista="F", nomeArtista="Ana Lima",
                anoNascimento="1970", profissao="director")  # fmt: skip
    titleless = {**base, "id": TITLELESS_ID}
    negative = {**base, "id": NEGATIVE_RUNTIME_ID, "tituloPincipal": "Minus Five",
                "tituloOriginal": "Minus Five", "tempoMinutos": "-5"}  # fmt: skip
    lines = ["|".join(row[c] for c in columns) for row in (titleless, negative)]
    text = path.read_bytes()
    with path.open("ab") as out:
        if not text.endswith(b"\n"):
            out.write(b"\n")
        out.write(("\n".join(lines) + "\n").encode())
    return lines


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    """A stack of its own (it overrides the session's): this module makes the shop's schema
    drift (`ALTER TABLE`), copies bronze files by hand and leaves silver incremental models
    built on its data; the modules that share the session's stack expect none of that."""
    with running_stack(tmp_path_factory.mktemp("bad-rows")) as own:
        yield own


@pytest.fixture(scope="module")
def first_build(stack):
    stack.cinelake("demo-data", "--scale", "0.02", "--seed", "7", "--as-of", AS_OF)
    append_movie_lines(stack)
    # a customer who watched something, so that gold carries them everywhere
    [(customer_id, city, updated_at)] = stack.mysql_rows(
        "select c.customer_id, c.city, c.updated_at from customers c "
        "where exists (select 1 from viewing_sessions s where s.customer_id = c.customer_id) "
        "order by c.customer_id limit 1"
    )
    [(column_type,)] = stack.mysql_rows(
        "select column_type from information_schema.columns where table_schema = 'shop' "
        "and table_name = 'customers' and column_name = 'city'"
    )
    on_day(stack, AS_OF).cinelake("ingest", "all")
    # then the source drifts: the column becomes nullable and a customer loses their city
    [(latest,)] = stack.mysql_rows("select max(updated_at) from customers")
    nulled_at = latest + dt.timedelta(hours=1)
    owner_execute(
        stack,
        (f"alter table customers modify city {column_type} null", ()),
        ("update customers set city = null, updated_at = %s where customer_id = %s",
         (nulled_at, customer_id)),
    )  # fmt: skip
    on_day(stack, AS_OF).cinelake("ingest", "shop")
    result = build(stack, *FIRST_BUILD)
    return {"build": result, "customer_id": customer_id, "city": city,
            "nulled_at": nulled_at, "old_updated_at": updated_at}  # fmt: skip


@pytest.fixture(scope="module")
def healed_build(stack, first_build):
    """The city corrected at the source (a new updated_at), then the shop rows of the first
    load landing again (as a lag-window re-read does), and the next build of
    scripts/pipeline.sh (`cinelake build --daily`): everything, since the selected first
    build kept no state."""
    first_build_state = snapshot(stack)
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    fixed_at = first_build["nulled_at"] + dt.timedelta(hours=1)
    owner_execute(
        stack,
        ("update customers set city = %s, updated_at = %s where customer_id = %s",
         (CORRECTED_CITY, fixed_at, first_build["customer_id"])),
    )  # fmt: skip
    on_day(stack, FIX_DAY).cinelake("ingest", "shop")
    # the first day's rows land again on 2026-04-03, in one commit, as a lag-window re-read
    customers = str(stack.home / "lake" / "bronze" / "shop" / "customers")
    first_day = DeltaTable(customers).to_pyarrow_table(
        filters=lake.day_filters(dt.date(2026, 4, 1))
    )
    assert first_day.num_rows > 0
    reread = first_day.set_column(
        first_day.column_names.index("_load_day"),
        "_load_day",
        pa.array([3] * first_day.num_rows, pa.int32()),
    )
    write_deltalake(customers, reread, mode="append")
    result = daily_run(stack, since)
    return {"build": result, "fixed_at": fixed_at, "before": first_build_state}


def snapshot(stack: Stack) -> dict:
    [(versions,)] = stack.thrift_rows("select count(*) from silver.stg_shop__customer_versions")
    [(bronze,)] = stack.thrift_rows("select count(*) from bronze.shop__customers")
    return {"versions": versions, "bronze": bronze}


def accounted(stack: Stack, model: str, quarantine: str, bronze: str, version: str = "*"):
    """(bronze rows, distinct bronze versions, rows kept by the model, rows quarantined)."""
    [(kept,)] = stack.thrift_rows(f"select coalesce(sum(source_row_count), 0) from silver.{model}")
    [(held,)] = stack.thrift_rows(
        f"select coalesce(sum(source_row_count), 0) from silver.{quarantine}"
    )
    [(landed, distinct)] = stack.thrift_rows(
        f"select count(*), count(distinct {version}) from bronze.{bronze}"
        if version != "*"
        else f"select count(*), count(*) from bronze.{bronze}"
    )
    return landed, distinct, kept, held


def test_a_titleless_film_and_a_negative_runtime_are_quarantined_not_fatal(stack, first_build):
    reasons = dict(
        stack.thrift_rows(
            "select title_id, quarantine_reason from silver.quarantine_csv__movies "
            f"where title_id in ('{TITLELESS_ID}', '{NEGATIVE_RUNTIME_ID}')"
        )
    )
    assert reasons == {TITLELESS_ID: "missing_title", NEGATIVE_RUNTIME_ID: "runtime_out_of_range"}
    ids = f"('{TITLELESS_ID}', '{NEGATIVE_RUNTIME_ID}')"
    assert stack.thrift_rows(
        f"select count(*) from silver.stg_csv__movies where title_id in {ids}"
    ) == [(0,)]
    assert stack.thrift_rows(
        f"select count(*) from gold.dim_title where conformed_title_id in {ids}"
    ) == [(0,)]
    [(gold_titles,)] = stack.thrift_rows("select count(*) from gold.dim_title")
    assert gold_titles > 0
    [(negative,)] = stack.thrift_rows(
        "select count(*) from silver.stg_csv__movies where runtime_minutes < 1"
    )
    assert negative == 0


def test_csv_lines_are_accounted_for(stack, first_build):
    [(landed,)] = stack.thrift_rows(
        "select count(*) from bronze.csv__movies where _source_sha256 in "
        "(select max_by(_source_sha256, _loaded_at) from bronze.csv__movies group by _source_file)"
    )
    _, _, kept, held = accounted(stack, "stg_csv__movies", "quarantine_csv__movies", "csv__movies")
    assert landed == kept + held


def test_a_null_city_is_quarantined_and_the_last_valid_version_stays_current(stack, first_build):
    customer_id = first_build["customer_id"]
    assert stack.thrift_rows(
        f"select quarantine_reason, date_format(updated_at, '{TS}') "
        f"from silver.quarantine_shop__customers where customer_id = {customer_id}"
    ) == [("missing_city", text(first_build["nulled_at"]))]
    current = stack.thrift_rows(
        f"select city, date_format(valid_from, '{TS}') from gold.dim_customer "
        f"where customer_id = {customer_id} and is_current"
    )
    assert current == [(first_build["city"], text(first_build["old_updated_at"]))]
    [(null_cities,)] = stack.thrift_rows(
        "select count(*) from gold.dim_customer where city is null"
    )
    assert null_cities == 0
    # the customer's sessions still reach gold, keyed to the valid version
    [(sessions,)] = stack.thrift_rows(
        f"select count(*) from gold.fct_viewing_sessions where customer_id = {customer_id}"
    )
    assert sessions > 0


def test_customer_rows_are_accounted_for(stack, first_build):
    for model in ("stg_shop__customers", "stg_shop__customer_versions"):
        landed, distinct, kept, held = accounted(
            stack, model, "quarantine_shop__customers", "shop__customers",
            "struct(customer_id, updated_at)",
        )  # fmt: skip
        assert held > 0 and distinct == kept + held, model
        assert landed >= distinct, model


def test_the_ops_mart_shows_the_quarantined_rows(stack, first_build):
    mart = {
        (table, outcome, reason): total
        for table, outcome, reason, total in stack.thrift_rows(
            "select source_table, outcome, reason_code, row_total "
            f"from gold.ops_data_quality_daily where load_date = '{AS_OF}'"
        )
    }
    movies = dict(
        stack.thrift_rows(
            "select quarantine_reason, sum(source_row_count) from silver.quarantine_csv__movies "
            "group by 1"
        )
    )
    assert {"missing_title", "runtime_out_of_range"} <= set(movies)
    assert {r: t for (tbl, o, r), t in mart.items() if (tbl, o) == ("movies", "quarantined")} == (
        movies
    )
    assert mart[("customers", "quarantined", "missing_city")] == 1
    [(landed,)] = stack.thrift_rows("select count(*) from bronze.csv__movies")
    assert mart[("movies", "landed", None)] == landed
    rejects = dict(
        stack.thrift_rows(
            "select reason, count(*) from bronze.csv__rejects "
            "where source_file = 'movies.csv' group by 1"
        )
    )
    assert {r: t for (tbl, o, r), t in mart.items() if (tbl, o) == ("movies", "rejected")} == (
        rejects
    )


def test_every_error_test_on_a_staging_column_is_backed_by_a_quarantine_reason(stack, first_build):
    manifest = json.loads((stack.home / "dbt-target" / "manifest.json").read_text())
    assert contract_violations(manifest) == []


def test_a_fix_at_the_source_heals_history_without_touching_bronze(
    stack, first_build, healed_build
):
    customer_id = first_build["customer_id"]
    versions = stack.thrift_rows(
        f"select city, is_current, date_format(valid_from, '{TS}') from gold.dim_customer "
        f"where customer_id = {customer_id} order by valid_from"
    )
    assert versions[-1] == (CORRECTED_CITY, True, text(healed_build["fixed_at"]))
    assert all(city is not None for city, _, _ in versions)
    assert text(first_build["nulled_at"]) not in [valid_from for _, _, valid_from in versions]
    # the NULL version stays in quarantine: it came, it is accounted for
    assert stack.thrift_rows(
        "select quarantine_reason from silver.quarantine_shop__customers "
        f"where customer_id = {customer_id}"
    ) == [("missing_city",)]
    [(city,)] = stack.thrift_rows(
        f"select city from silver.stg_shop__customers where customer_id = {customer_id}"
    )
    assert city == CORRECTED_CITY


def test_shop_rows_landed_twice_collapse_and_are_accounted_for(stack, first_build, healed_build):
    after = snapshot(stack)
    before = healed_build["before"]
    # the re-read day doubled the first day's rows in bronze; silver gained only the fix
    assert after["bronze"] > before["bronze"] + 1
    assert after["versions"] == before["versions"] + 1
    [(doubled,)] = stack.thrift_rows(
        "select count(*) from (select customer_id, valid_from from "
        "silver.stg_shop__customer_versions group by 1, 2 having count(*) > 1)"
    )
    assert doubled == 0
    for model in ("stg_shop__customers", "stg_shop__customer_versions"):
        landed, distinct, kept, held = accounted(
            stack, model, "quarantine_shop__customers", "shop__customers",
            "struct(customer_id, updated_at)",
        )  # fmt: skip
        assert landed > distinct and distinct == kept + held, model
    # the quarantined version came more than once, too: it is still one version
    customer_id = first_build["customer_id"]
    [(copies,)] = stack.thrift_rows(
        "select count(*) from bronze.shop__customers "
        f"where customer_id = {customer_id} and city is null"
    )
    assert copies >= 2
    assert stack.thrift_rows(
        "select source_row_count from silver.quarantine_shop__customers "
        f"where customer_id = {customer_id}"
    ) == [(1,)]


def test_the_quality_gate_reads_the_mart_and_alerts_above_the_rate(stack, first_build):
    """Nothing trips at a rate of 1 (no table had every row set aside); at 0 every table with
    a rejected or quarantined row does: exit 1, one alert naming them."""
    lenient = Stack(stack.home, {**stack.env, "CINELAKE_REJECT_RATE_MAX": "1"})
    table = lenient.cinelake("quality", "--date", AS_OF).stdout
    assert ": ok (every table at most 1 set aside)" in table
    assert {"movies", "customers", "viewing_sessions"} <= set(table.split())
    with webhook() as (url, received):
        strict = Stack(stack.home, {**stack.env, "CINELAKE_REJECT_RATE_MAX": "0",
                                    "CINELAKE_ALERT_WEBHOOK": url})  # fmt: skip
        result = strict.cinelake("quality", "--date", AS_OF, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "FAILED" in result.stdout and "csv.movies" in received[0]["text"]
    assert "quarantined" in json.dumps(received[0]["blocks"])
