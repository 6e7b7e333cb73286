"""Your own database: a MariaDB schema with the types real schemas have lands in bronze with
every row and value accounted for, increments land only what changed, a table without a
cursor is a daily snapshot, and the generated sources YAML registers the tables in Spark.
A source's own `year`, `month` and `day` (a flights-shaped `planes`) keep their values: bronze's
load-date columns have names of their own, and a column that takes one of those is refused.

The module creates its own database `owndb` in the session stack's MariaDB (as root over the
socket), configures it in its own databases.yml, and ingests it into the stack's lake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pymysql
import pytest
import yaml
from deltalake import DeltaTable

from cinelake import lake
from tests.helpers.stack import PROJECT_ROOT, Stack

pytestmark = pytest.mark.integration

DAY1, DAY2 = "2026-03-01", "2026-03-02"
DATABASE = "owndb"
ZERO = re.compile(r"^(0000|\d{4}-00|\d{4}-\d{2}-00)")

SCHEMA = f"""
drop database if exists {DATABASE};
create database {DATABASE} character set utf8mb4 collate utf8mb4_unicode_ci;
use {DATABASE};
set session sql_mode = '';
create table film (
  film_id smallint unsigned not null auto_increment primary key,
  title varchar(128) not null,
  release_year year,
  rating enum('G','PG','PG-13','R','NC-17') default 'G',
  special_features set('Trailers','Commentaries','Deleted Scenes','Behind the Scenes'),
  flags bit(8),
  wide_flags bit(64),
  poster blob,
  digest binary(16),
  meta json,
  spot geometry,
  views bigint unsigned,
  tiny_u tinyint unsigned,
  int_u int unsigned,
  ratio decimal(65,30),
  fine decimal(38,20),
  price decimal(5,2),
  score double,
  runtime time,
  released date,
  first_shown datetime(6),
  last_update timestamp not null default current_timestamp on update current_timestamp
);
create table `Film Actor` (
  actor_id int not null, film_id int not null, `character` varchar(50),
  `Modified At` datetime not null, primary key (actor_id, film_id)
);
create table `event log` (
  `select` varchar(20), `order date` date, `from` decimal(10,2), note text
);
create table planes (
  tailnum varchar(8) not null primary key, year smallint, month tinyint not null,
  day tinyint not null, engines int
);
insert into film values
 (1, 'Ação — 映画 🎬', 1999, 'PG-13', 'Trailers,Commentaries', b'10100101', ~0,
  x'00ff10', x'000102030405060708090a0b0c0d0e0f', '{{"a": [1, 2], "ü": "ß"}}',
  ST_GeomFromText('POINT(1.5 -2.25)'), 18446744073709551615, 255, 4294967295,
  '12345678901234567890123456789012345.123456789012345678901234567891',
  '123456789012345678.12345678901234567890', 123.45, 1.5e300, '838:59:59', '1999-12-31',
  '2001-02-03 04:05:06.789012', '2026-03-01 10:00:00'),
 (2, 'plain', 0000, 'G', '', b'0', b'0', '', x'00000000000000000000000000000000', 'null',
  ST_GeomFromText('LINESTRING(0 0, 1 1)'), 0, 0, 0, '-0.000000000000000000000000000001',
  '-0.00000000000000000001', -0.01, -0.0, '-12:00:00', '0000-00-00', '0000-00-00 00:00:00',
  '2026-03-01 10:00:00'),
 (3, 'nulls', null, null, null, null, null, null, null, null, null, null, null, null, null,
  null, null, null, null, '2024-00-10', null, '2026-03-01 10:00:00');
insert into `Film Actor` values
 (1, 1, 'Hero', '2026-03-01 09:00:00'), (2, 1, 'Villain', '2026-03-01 09:00:00'),
 (1, 2, null, '2026-03-01 09:30:00');
insert into `event log` values ('a', '2026-01-01', 1.50, 'ü'), ('b', '0000-00-00', null, null);
insert into planes values ('N10156', 2004, 1, 31, 2), ('N102UW', null, 12, 5, 2),
 ('N103US', 1999, 3, 1, null);
grant select, show view on {DATABASE}.* to 'etl'@'127.0.0.1';
grant select, show view on {DATABASE}.* to 'etl'@'localhost';
"""
# How the test reads each MySQL column for comparison (independently of the source's code):
# temporal and TIME columns as MySQL's own text, BIT as a number, GEOMETRY as WKB.
AS_TEXT = {"released", "first_shown", "runtime", "order date"}
READ_AS = {"flags": "`flags` + 0", "wide_flags": "`wide_flags` + 0", "spot": "ST_AsBinary(`spot`)"}


class Own:
    """The ingestion of `owndb` into the session stack's lake, with its own databases.yml."""

    def __init__(self, stack: Stack, config: Path):
        self.stack = stack
        url = f"mysql+pymysql://etl:etl-dev@127.0.0.1:{stack.mysql_port}/{DATABASE}"
        self.env = {**stack.env, "CINELAKE_DATABASES_FILE": str(config),
                    f"SOURCES__{DATABASE.upper()}__CREDENTIALS": url}  # fmt: skip

    def ingest(self, day: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        runner = Stack(home=self.stack.home, env={**self.env, "CINELAKE_LOAD_DATE": day})
        return runner.cinelake("ingest", DATABASE, check=check)

    def bronze(self, table: str, day: str | None = None, load_id: str | None = None) -> pa.Table:
        """A bronze table as its committed Delta version reads (or one load day of it)."""
        path = self.stack.home / "lake" / "bronze" / DATABASE / table
        filters = None
        if day:
            filters = lake.day_filters(dt.date.fromisoformat(day))
        data = DeltaTable(str(path)).to_pyarrow_table(filters=filters)
        if load_id:
            data = data.filter(ds.field("_dlt_load_id") == load_id)
        return data

    def mysql(self, sql: str) -> list[tuple]:
        conn = pymysql.connect(
            host="127.0.0.1", port=self.stack.mysql_port, user="etl", password="etl-dev",
            database=DATABASE, charset="utf8mb4",
        )  # fmt: skip
        with conn, conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())


def run_as_root(stack: Stack, sql: str) -> None:
    subprocess.run(
        ["mariadb", "--no-defaults", f"--socket={stack.home / 'mariadb' / 'mysqld.sock'}",
         "--user=root", "--default-character-set=utf8mb4"],
        input=sql, text=True, check=True, capture_output=True,
    )  # fmt: skip


def canon(value) -> str | None:
    """One text per value, the same whichever driver read it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dt.datetime):
        # Bronze tags DATETIMEs as UTC (the server runs in +00:00); MySQL gives them naive.
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def mysql_text(value: str | None) -> str | None:
    """A temporal value as MySQL's text: zero dates are null (as bronze documents)."""
    if value is None or ZERO.match(value):
        return None
    return canon(dt.datetime.fromisoformat(value)) if " " in value else value


def checksum(values: list) -> tuple[int, int, str]:
    """Rows, non-null values and a SHA-256 of the sorted texts: a column's fingerprint."""
    texts = sorted(repr(v) for v in values)
    return len(values), sum(v is not None for v in values), \
        hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]  # fmt: skip


def mysql_fingerprints(own: Own, table: str) -> dict[str, tuple]:
    names = [r[0] for r in own.mysql(
        "select column_name from information_schema.columns where table_schema = database() "
        f"and table_name = '{table}' order by ordinal_position"
    )]  # fmt: skip
    exprs = [f"cast(`{n}` as char)" if n in AS_TEXT else READ_AS.get(n, f"`{n}`") for n in names]
    rows = own.mysql(f"select {', '.join(exprs)} from `{table}`")
    result = {}
    for index, name in enumerate(names):
        column = [row[index] for row in rows]
        texts = [mysql_text(v) if name in AS_TEXT else canon(v) for v in column]
        result[re.sub(r"\W+", "_", name).lower()] = checksum(texts)
    return result


def bronze_fingerprints(data: pa.Table) -> dict[str, tuple]:
    lineage = {"_loaded_at", "_dlt_load_id", *lake.PARTITION_COLUMNS}
    result = {}
    for name in data.column_names:
        if name in lineage:
            continue
        values = data[name].to_pylist()
        if name == "ratio":  # DECIMAL(65,30) lands as exact text (Spark stops at 38 digits)
            values = [None if v is None else Decimal(v) for v in values]
        result[name] = checksum([canon(v) for v in values])
    return result


@pytest.fixture(scope="module")
def own(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Own:
    run_as_root(stack, SCHEMA)
    config = tmp_path_factory.mktemp("own") / "databases.yml"
    config.write_text(f"databases:\n  {DATABASE}: {{}}\n")  # every table, rules by default
    own = Own(stack, config)
    own.first = own.ingest(DAY1)
    own.before = {
        t: mysql_fingerprints(own, t) for t in ("film", "Film Actor", "event log", "planes")
    }
    return own


def test_every_row_and_value_lands_as_in_mysql(own):
    for table, bronze in (("film", "film"), ("Film Actor", "film_actor"),
                          ("event log", "event_log"), ("planes", "planes")):  # fmt: skip
        assert bronze_fingerprints(own.bronze(bronze)) == own.before[table], table


def test_a_sources_year_month_and_day_keep_their_values(own):
    planes = own.bronze("planes")
    assert {"year", "month", "day", *lake.PARTITION_COLUMNS} <= set(planes.column_names)
    by_tail = {r["tailnum"]: r for r in planes.to_pylist()}
    assert [(by_tail[t]["year"], by_tail[t]["month"], by_tail[t]["day"]) for t in sorted(by_tail)] \
        == list(own.mysql("select year, month, day from planes order by tailnum"))  # fmt: skip
    assert {(r["_load_year"], r["_load_month"], r["_load_day"]) for r in by_tail.values()} == {
        (2026, 3, 1)
    }
    delta = DeltaTable(str(own.stack.home / "lake" / "bronze" / DATABASE / "planes"))
    assert delta.metadata().partition_columns == list(lake.PARTITION_COLUMNS)


def test_types_land_as_documented(own):
    schema = own.bronze("film").schema
    expected = {
        "film_id": pa.int32(), "release_year": pa.int16(), "flags": pa.int64(),
        "wide_flags": pa.decimal128(20, 0), "views": pa.decimal128(20, 0),
        "tiny_u": pa.int16(), "int_u": pa.int64(), "ratio": pa.string(),
        "fine": pa.decimal128(38, 20), "price": pa.decimal128(5, 2), "runtime": pa.string(),
        "released": pa.date32(), "first_shown": pa.timestamp("us", tz="UTC"),
        "last_update": pa.timestamp("us", tz="UTC"), "meta": pa.string(), "rating": pa.string(),
    }  # fmt: skip
    assert {name: schema.field(name).type for name in expected} == expected
    assert pa.types.is_binary(schema.field("spot").type) or \
        pa.types.is_large_binary(schema.field("spot").type)  # fmt: skip
    wkb = own.bronze("film").filter(ds.field("film_id") == 1)["spot"][0].as_py()
    assert wkb == own.mysql("select ST_AsBinary(spot) from film where film_id = 1")[0][0]


def test_zero_dates_are_counted_in_the_report_never_silent(own):
    summary = own.first.stdout
    film = next(line for line in summary.splitlines() if line.split()[:2] == [DATABASE, "film"])
    zeros = own.mysql("select sum(cast(released as char) regexp '^(0000|[0-9]{4}-00|"
                      "[0-9]{4}-[0-9]{2}-00)') from film")[0][0]  # fmt: skip
    assert int(zeros) == 2
    assert "2 zero dates in released landed as null" in film
    assert "1 zero dates in first_shown landed as null" in film


def test_cursors_are_detected_by_the_documented_rule(own):
    state = json.loads((own.stack.home / "dlt" / f"cinelake_{DATABASE}" / "state.json").read_text())
    resources = state["sources"][DATABASE]["resources"]
    cursors = {table: list(r.get("incremental", {})) for table, r in resources.items()}
    # a documented name (and TIMESTAMP ... ON UPDATE); a name matched as in bronze (quoted
    # as dlt's cursor path); no cursor in `event log`: a snapshot, with no incremental state
    assert cursors == {"film": ["last_update"], "Film Actor": ['"Modified At"']}


def test_a_second_run_lands_only_changed_rows(own):
    run_as_root(
        own.stack,
        f"""use {DATABASE};
        update film set title = 'changed', last_update = '2026-03-01 11:00:00' where film_id = 2;
        insert into film (film_id, title, last_update) values (4, 'new', '2026-03-01 11:30:00');
    """,
    )
    result = own.ingest(DAY1)
    assert result.returncode == 0
    film = own.bronze("film")
    load_ids = sorted(set(film["_dlt_load_id"].to_pylist()))
    newest = own.bronze("film", load_id=load_ids[-1])
    assert sorted(newest["film_id"].to_pylist()) == [2, 4]
    assert newest.filter(ds.field("film_id") == 2)["title"].to_pylist() == ["changed"]
    assert own.bronze("film_actor").num_rows == 3  # unchanged: nothing new landed
    assert film.num_rows == 3 + 2  # every version kept: nothing lost, nothing doubled


def test_a_table_without_a_cursor_is_a_snapshot_replacing_its_day(own):
    day1_before = own.bronze("event_log", DAY1).num_rows
    assert day1_before == len(own.mysql("select * from `event log`"))
    run_as_root(own.stack, f"use {DATABASE}; insert into `event log` values "
                           "('c', '2026-02-02', 3.00, 'new');")  # fmt: skip
    own.ingest(DAY1)
    assert own.bronze("event_log", DAY1).num_rows == day1_before + 1  # replaced, not added
    own.ingest(DAY2)
    assert own.bronze("event_log", DAY2).num_rows == day1_before + 1
    assert own.bronze("event_log", DAY1).num_rows == day1_before + 1


def test_a_type_that_cannot_land_is_one_error_naming_table_and_column(own, tmp_path):
    run_as_root(own.stack, f"use {DATABASE}; create table hosts (id int primary key, "
                           "address inet6);")  # fmt: skip
    try:
        config = tmp_path / "databases.yml"
        config.write_text(f"databases:\n  {DATABASE}:\n    tables: [hosts]\n")
        runner = Own(own.stack, config)
        result = runner.ingest(DAY1, check=False)
        assert result.returncode == 1
        assert f"{DATABASE}.hosts.address: type inet6 cannot be landed" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        run_as_root(own.stack, f"use {DATABASE}; drop table hosts;")


def test_a_column_named_as_bronzes_own_is_one_error_never_overwritten(own, tmp_path):
    run_as_root(own.stack, f"use {DATABASE}; create table clash (id int primary key, "
                           "`_load_day` int, `_dlt_id` varchar(10));")  # fmt: skip
    try:
        config = tmp_path / "databases.yml"
        config.write_text(f"databases:\n  {DATABASE}:\n    tables: [clash]\n")
        result = Own(own.stack, config).ingest(DAY1, check=False)
        assert result.returncode == 1
        assert "clash._load_day, clash._dlt_id would collide with bronze's own columns" in (
            result.stderr
        )
        assert "Traceback" not in result.stderr
        assert not (own.stack.home / "lake" / "bronze" / DATABASE / "clash").exists()
    finally:
        run_as_root(own.stack, f"use {DATABASE}; drop table clash;")


def test_the_generated_sources_yml_registers_the_tables_in_spark(own):
    folder = PROJECT_ROOT / "models" / "silver" / DATABASE
    assert not folder.exists(), f"{folder} is the test's own; remove it"
    try:
        runner = Stack(home=own.stack.home, env=own.env)
        runner.cinelake("sources-yml", DATABASE)
        text = (folder / f"_{DATABASE}__sources.yml").read_text()
        assert f"identifier: {DATABASE}__film_actor" in text
        assert "data_type: decimal(20,0)" in text
        again = runner.cinelake("sources-yml", DATABASE, check=False)
        assert again.returncode == 2 and "--force" in again.stderr  # never over your edits
        runner.dbt("run-operation", "register_bronze_sources")
        rows = own.stack.thrift_rows(
            f"select count(*), count(views), max(views), count(spot), count(released), "
            f"max(ratio), min(`select`) from bronze.{DATABASE}__film "
            f"cross join (select min(`select`) as `select` from bronze.{DATABASE}__event_log)"
        )
        count, views, top, spots, released, ratio, first = rows[0]
        assert (count, views, spots, released) == (5, 3, 3, 1)
        assert Decimal(str(top)) == Decimal(18446744073709551615)
        assert ratio == "12345678901234567890123456789012345.123456789012345678901234567891"
        assert first == "a"
        # a source's `year` is its own in Spark too (and in the YAML): not the load date's
        source = yaml.safe_load(text)["sources"][0]
        planes = next(t for t in source["tables"] if t["name"] == "planes")
        assert [c["name"] for c in planes["columns"] if c["description"] == ""] == [
            "tailnum",
            "year",
            "month",
            "day",
            "engines",
        ]
        day1 = lake.partition_values(dt.date.fromisoformat(DAY1))
        year_sum = own.stack.thrift_rows(
            f"select count(year), sum(year), count(*) from bronze.{DATABASE}__planes "
            f"where {' and '.join(f'{c} = {v}' for c, v in day1.items())}"
        )
        assert year_sum == [
            tuple(own.mysql("select count(year), sum(year), count(*) from planes")[0])
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_two_load_dates_on_the_same_day_of_the_month_keep_both_snapshots(own):
    same_day_next_month = "2026-04-01"  # DAY1 is 2026-03-01: the same day of the month
    before = own.bronze("planes", DAY1).num_rows
    own.ingest(same_day_next_month)
    assert own.bronze("planes", DAY1).num_rows == before == 3
    assert own.bronze("planes", same_day_next_month).num_rows == 3
    assert bronze_fingerprints(own.bronze("planes", same_day_next_month)) == own.before["planes"]
