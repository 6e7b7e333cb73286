"""The generic database source without a database: cursor detection, how each MySQL type
lands, the per-batch cast (zero dates), databases.yml, the lag window's count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from cinelake.ingest.sources.sql_tables import bronze_name, load_databases
from cinelake.ingest.sources.sql_tables.helpers import (
    Column,
    Landing,
    TablePlan,
    UnlandableColumn,
    conform,
    count_in_window,
    cursor_path,
    detect_cursor,
    lag_windows,
    land_column,
    landing,
    plan_tables,
    previous_cursors,
    window_start,
)
from cinelake.ingest.sources_yml import spark_type

CURSOR = dt.datetime(2026, 2, 28, 23, 59, 59)
LOADED_AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def col(name: str, data_type: str, column_type: str = "", **kw) -> Column:
    return Column(name, data_type, column_type or data_type, **kw)


# -- cursor detection ------------------------------------------------------------------------
def test_the_cursor_is_the_first_temporal_column_by_the_documented_names():
    columns = [col("id", "int"), col("modified_at", "datetime"), col("last_update", "timestamp")]
    assert detect_cursor(columns) == "last_update"  # last_update comes before modified_at
    assert detect_cursor([col("Updated_At", "datetime")]) == "Updated_At"
    assert detect_cursor([col("Last Update", "timestamp")]) == "Last Update"  # as in bronze


def test_a_cursor_name_that_is_not_a_date_does_not_count():
    assert detect_cursor([col("updated", "tinyint"), col("changed_at", "date")]) == "changed_at"


def test_an_on_update_timestamp_is_the_cursor_when_no_name_matches():
    columns = [col("id", "int"), col("touched", "timestamp", on_update=True)]
    assert detect_cursor(columns) == "touched"


def test_no_cursor_means_none_and_a_configured_one_wins_or_fails():
    columns = [col("id", "int"), col("rental_date", "datetime"), col("updated_at", "datetime")]
    assert detect_cursor([col("id", "int"), col("created_at", "datetime")]) is None
    assert detect_cursor(columns, "rental_date") == "rental_date"
    with pytest.raises(ValueError, match="not a column"):
        detect_cursor(columns, "nope")


def test_plans_take_keys_cursors_and_options():
    columns = {
        "film": [col("film_id", "int"), col("last_update", "timestamp")],
        "log": [col("at", "datetime"), col("message", "text")],
        "film_actor": [
            col("actor_id", "int"),
            col("film_id", "int"),
            col("updated_at", "datetime"),
        ],  # fmt: skip
        "v_sales": [col("total", "decimal", precision=10, scale=2)],  # a view: no key entry
    }
    keys = {"film": ("film_id",), "log": (), "film_actor": ("actor_id", "film_id")}
    options = {"log": {"primary_key": ["at"]}, "film_actor": {"cursor": None}}
    plans = {p.name: p for p in plan_tables("db", columns, keys, None, options)}
    assert sorted(plans) == ["film", "film_actor", "log"]  # every table, not the view
    assert (plans["film"].cursor, plans["film"].primary_key) == ("last_update", ("film_id",))
    assert (plans["log"].cursor, plans["log"].primary_key) == (None, ("at",))
    assert plans["film_actor"].cursor is None  # `cursor: null` asks for a snapshot
    assert [p.name for p in plan_tables("db", columns, keys, ["v_sales"], {})] == ["v_sales"]
    with pytest.raises(ValueError, match=r"not in the database: \['payment'\]"):
        plan_tables("db", columns, keys, ["payment"], {})


# -- types -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "select", "arrow"),
    [
        (col("n", "int"), None, None),
        (col("n", "tinyint", "tinyint(3) unsigned"), "char", pa.int16()),
        (col("n", "int", "int(10) unsigned"), "char", pa.int64()),
        (col("n", "bigint", "bigint(20) unsigned"), "char", pa.decimal128(20, 0)),
        (col("n", "decimal", precision=8, scale=2), "char", pa.decimal128(8, 2)),
        (col("n", "decimal", precision=38, scale=20), "char", pa.decimal128(38, 20)),
        (col("n", "decimal", precision=65, scale=30), "char", pa.string()),
        (col("n", "year"), "char", pa.int16()),
        (col("n", "bit", "bit(8)", precision=8), "bits", pa.int64()),
        (col("n", "bit", "bit(64)", precision=64), "bits", pa.decimal128(20, 0)),
        (col("n", "json"), "char", pa.string()),
        (col("n", "geometry"), "wkb", pa.binary()),
        (col("n", "point"), "wkb", pa.binary()),
        (col("n", "time"), "char", pa.string()),
        (col("n", "date"), "char", pa.date32()),
        (col("n", "datetime"), "char", pa.timestamp("us")),
        (col("n", "enum", "enum('a','b')"), None, None),
        (col("n", "set", "set('a','b')"), None, None),
        (col("n", "longblob"), None, None),
        (col("n", "varchar", "varchar(20)"), None, None),
    ],
)
def test_each_type_lands_as_documented(column, select, arrow):
    how = landing("t", column)
    assert (how.select, how.arrow) == (select, arrow)


def test_the_cursor_lands_as_it_comes_and_must_be_comparable():
    assert landing("t", col("updated_at", "datetime"), cursor="updated_at") == Landing()
    with pytest.raises(UnlandableColumn, match=r"t\.tag: a cursor"):
        landing("t", col("tag", "varchar"), cursor="tag")


def test_a_type_that_cannot_land_is_an_error_naming_table_and_column():
    with pytest.raises(UnlandableColumn, match=r"db\.hosts\.address: type inet6"):
        landing("db.hosts", col("address", "inet6"))


def test_zero_dates_become_null_and_are_counted():
    text = pa.chunked_array([["2024-05-01 10:00:00", "0000-00-00 00:00:00", None,
                              "2024-00-10 00:00:00"]])  # fmt: skip
    landed, zeros = land_column(text, Landing("char", pa.timestamp("us"), zero_dates=True))
    assert zeros == 2
    assert landed.to_pylist() == [dt.datetime(2024, 5, 1, 10), None, None, None]
    dates, zeros = land_column(pa.chunked_array([["2024-05-01", "0000-00-00"]]),
                               Landing("char", pa.date32(), zero_dates=True))  # fmt: skip
    assert (dates.to_pylist(), zeros) == ([dt.date(2024, 5, 1), None], 1)


def test_conform_casts_counts_and_stamps_a_batch():
    plan = TablePlan(
        "t", [], "updated_at", ("id",),
        {"id": Landing(), "big": Landing("char", pa.decimal128(20, 0)),
         "born": Landing("char", pa.date32(), zero_dates=True), "updated_at": Landing()},
    )  # fmt: skip
    batch = pa.table({
        "id": [1, 2], "big": ["18446744073709551615", "0"], "born": ["0000-00-00", "1990-01-02"],
        "updated_at": pa.array([CURSOR, CURSOR + dt.timedelta(seconds=1)], pa.timestamp("us")),
    })  # fmt: skip
    window, zeros = [], {}
    out = conform(plan, LOADED_AT, CURSOR, window.append,
                  lambda c, n: zeros.__setitem__(c, n))(batch)  # fmt: skip
    assert out["big"].to_pylist() == [Decimal("18446744073709551615"), Decimal(0)]
    assert out["born"].to_pylist() == [None, dt.date(1990, 1, 2)]
    assert (window, zeros) == ([1], {"born": 1})
    assert out["_loaded_at"].to_pylist() == [LOADED_AT, LOADED_AT]


# -- the lag window and state ----------------------------------------------------------------
def test_rows_at_or_before_the_cursor_are_counted_as_window():
    batch = pa.table({"updated_at": pa.array([
        CURSOR - dt.timedelta(minutes=10),  # late row or re-read: in the window
        CURSOR,  # the boundary itself is read again
        CURSOR + dt.timedelta(seconds=1),  # past the cursor: new
    ], pa.timestamp("us"))})  # fmt: skip
    assert count_in_window(batch, "updated_at", CURSOR) == 2
    assert count_in_window(batch, "updated_at", None) == 0


def test_cursors_are_read_from_the_pipeline_state():
    state = {"sources": {"shop": {"resources": {
        "payments": {"incremental": {"updated_at": {"last_value": CURSOR}}},
        "Film Actor": {"incremental": {'"Modified At"': {"last_value": CURSOR}}},
    }}}}  # fmt: skip
    plans = [TablePlan("payments", [], "updated_at"), TablePlan("plans", [], "updated_at"),
             TablePlan("log", [], None), TablePlan("Film Actor", [], "Modified At")]  # fmt: skip
    expected = {"payments": CURSOR, "plans": None, "log": None, "Film Actor": CURSOR}
    assert previous_cursors(state, "shop", plans) == expected
    assert (cursor_path("updated_at"), cursor_path("Modified At")) == (
        "updated_at",
        '"Modified At"',
    )


# -- configuration and names -----------------------------------------------------------------
def test_databases_yml_lists_tables_with_options(tmp_path):
    path = tmp_path / "databases.yml"
    path.write_text(
        "databases:\n"
        "  films:\n"
        "    tables:\n"
        "      film: {}\n"
        "      rental: {cursor: rental_date}\n"
        "      film_text: {cursor: null, primary_key: [film_id]}\n"
        "    lag_seconds: 60\n"
        "  everything: {}\n"
        "  listed: {tables: [a, b]}\n"
    )
    databases = load_databases(path)
    assert databases["films"].tables == ("film", "rental", "film_text")
    assert databases["films"].options["film_text"] == {"cursor": None, "primary_key": ["film_id"]}
    assert databases["films"].lag_seconds == 60
    assert databases["everything"].tables is None
    assert databases["listed"].tables == ("a", "b")
    assert load_databases(tmp_path / "missing.yml") == {}


def test_databases_yml_refuses_unknown_keys_and_urls(tmp_path):
    path = tmp_path / "databases.yml"
    path.write_text("databases:\n  films: {url: 'mysql://u:p@h/db'}\n")
    with pytest.raises(ValueError, match="databases.films"):
        load_databases(path)


def test_the_project_databases_yml_configures_the_shop():
    from cinelake.config import PROJECT_ROOT

    assert "shop" in load_databases(PROJECT_ROOT / "databases.yml")


def test_bronze_names_are_dlt_snake_case():
    assert bronze_name("Order Items") == "order_items"
    assert bronze_name("select") == "select"


@pytest.mark.parametrize(
    ("arrow", "spark"),
    [
        (pa.int16(), "smallint"), (pa.int64(), "bigint"), (pa.decimal128(20, 0), "decimal(20,0)"),
        (pa.string(), "string"), (pa.binary(), "binary"), (pa.date32(), "date"),
        (pa.timestamp("us"), "timestamp"), (pa.timestamp("us", tz="UTC"), "timestamp"),
    ],
)  # fmt: skip
def test_landed_arrow_types_map_to_the_spark_types_registration_declares(arrow, spark):
    assert spark_type("t", pa.field("c", arrow)) == spark


def test_an_arrow_type_without_a_spark_type_names_table_and_column():
    with pytest.raises(ValueError, match=r"db\.t\.c"):
        spark_type("db.t", pa.field("c", pa.time64("us")))


def test_sources_yml_declares_what_landed_as_registration_expects(tmp_path):
    import pyarrow.parquet as pq
    import yaml

    from cinelake import lake
    from cinelake.ingest.sources_yml import landed_schemas, render

    data = pa.table({
        "film_id": pa.array([1], pa.int32()), "views": pa.array([1], pa.decimal128(20, 0)),
        "_dlt_load_id": pa.array(["1"]),
    })  # fmt: skip
    url = lake.bronze_url(str(tmp_path), "db", "film")
    lake.append(url, lake.stamp(data, dt.date(2026, 3, 1)))
    # A file on disk that no commit names (a load cut short) is not part of the table.
    stray = pa.table({"stray": [1]})
    pq.write_table(stray, tmp_path / "bronze" / "db" / "film" / "_load_year=2026" / "stray.parquet")
    (tmp_path / "bronze" / "db" / "_dlt_loads").mkdir()
    pq.write_table(pa.table({"x": [1]}), tmp_path / "bronze" / "db" / "_dlt_loads" / "l.parquet")
    source = yaml.safe_load(render("db", landed_schemas(str(tmp_path), "db")))["sources"][0]
    assert source["schema"] == "bronze" and source["loaded_at_field"] == "_loaded_at"
    (table,) = source["tables"]
    assert (table["name"], table["identifier"]) == ("film", "db__film")
    assert [(c["name"], c["data_type"]) for c in table["columns"]] == [
        ("film_id", "int"), ("views", "decimal(20,0)"), ("_dlt_load_id", "string"),
        ("_load_year", "int"), ("_load_month", "int"), ("_load_day", "int"),
    ]  # fmt: skip


def test_since_widens_a_time_cursors_lag_window_back_to_it_never_narrows_it():
    cursor = dt.datetime(2026, 3, 4, 12, 0)
    plans = [TablePlan("sessions", [], "updated_at"), TablePlan("events", [], "id"),
             TablePlan("log", [], None)]  # fmt: skip
    cursors = {"sessions": cursor, "events": 1000}
    assert lag_windows(plans, cursors, 3600) == {"sessions": 3600, "events": 3600}
    since = cursor - dt.timedelta(hours=5)
    assert lag_windows(plans, cursors, 3600, since) == {"sessions": 5 * 3600, "events": 3600}
    recent = cursor - dt.timedelta(minutes=1)  # within the window already: the window stays
    assert lag_windows(plans, cursors, 3600, recent)["sessions"] == 3600
    aware = {"sessions": cursor.replace(tzinfo=dt.UTC)}  # as dlt may restore it from its state
    assert lag_windows(plans[:1], aware, 0, since) == {"sessions": 5 * 3600}
    assert window_start(cursor, 5 * 3600) == "2026-03-04 07:00:00"
