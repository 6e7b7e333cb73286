"""The local stack over real connections: dbt build through Thrift, MariaDB users, `up` twice."""

from __future__ import annotations

import contextlib

import pymysql
import pytest
from pyhive import hive

from cinelake.config import load_settings
from cinelake.stack import spark_thrift
from tests.helpers.stack import MAIN_STACK_GROUP

# on the main job's stack: one xdist worker runs these modules, in order (tests/conftest.py)
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group(MAIN_STACK_GROUP)]


@pytest.fixture(scope="module")
def stack(main_stack):
    """The main job's stack (see conftest): its build is the one checked here."""
    return main_stack


@pytest.fixture(scope="module")
def built(main_job):
    """`dbt build` (seed, model, data tests, unit tests) against the stack's Thrift server,
    as the main job runs it."""
    return main_job


def mysql(stack, user: str, password: str) -> pymysql.Connection:
    return pymysql.connect(
        host="127.0.0.1", port=stack.mysql_port, user=user, password=password, database="shop"
    )


def test_dbt_build_runs_seed_model_data_and_unit_tests(built):
    assert "Completed successfully" in built.stdout
    # seed, models, data tests and unit tests: none failed or skipped (a build before any
    # ingestion is test_metastore's)
    assert "ERROR=0" in built.stdout and "SKIP=0" in built.stdout
    assert " unit tests" in built.stdout


def test_built_model_is_readable_over_thrift(stack, built):
    rows = stack.thrift_rows(
        "select genre_name_pt_br, is_horror from silver.stg_reference__genres where genre_id = 27",
    )
    assert rows == [("Terror", True)]
    assert stack.thrift_rows("select count(*) from silver.stg_reference__genres") == [(19,)]


def test_models_are_delta_tables_in_the_layer_schema(stack, built):
    detail = dict(
        (row[0].strip(), (row[1] or "").strip())
        for row in stack.thrift_rows("describe table extended silver.stg_reference__genres")
        if row[0]
    )
    assert detail["Provider"] == "delta"
    # Delta's description names the table in full (no separate Database row, as Parquet had)
    assert detail["Name"] == "spark_catalog.silver.stg_reference__genres"
    assert str(stack.home) in detail["Location"]  # the warehouse lives in CINELAKE_HOME


def test_the_readmes_time_travel_versions_are_there_after_one_build(stack, built):
    """docs/operations.md, "Time travel": a build commits two Delta versions, the rows, then the
    column comments (Spark 4.0 takes no column list in create or replace table ... as select)."""
    history = {row[0]: row[4] for row in stack.thrift_rows("describe history gold.dim_plan")}
    assert history[0] == "CREATE OR REPLACE TABLE AS SELECT"
    assert history[1] == "CHANGE COLUMNS"
    stack.cinelake("sql", "select count(*) from gold.dim_plan version as of 0")


def test_the_thrift_server_links_hives_builtin_udtfs(stack):
    """Hive's function registry, which the server initialises on some session closes, links
    the UDTF `get_splits`; without hive-llap-common (cinelake/stack/hive_llap_jar.py) that class
    fails with NoClassDefFoundError LlapSigner$Signable, and so does the close."""
    udtf = "org.apache.hadoop.hive.ql.udf.generic.GenericUDTFGetSplits"
    with contextlib.closing(hive.connect(host="127.0.0.1", port=stack.thrift_port)) as conn:
        cursor = conn.cursor()
        cursor.execute(f"create temporary function llap_probe as '{udtf}'")
        cursor.execute("describe function llap_probe")
        assert (f"Class: {udtf}",) in cursor.fetchall()


def test_the_thrift_server_logs_through_sparks_log4j(stack):
    """Its log holds the server's own lines (cinelake/stack/spark-log4j2.properties). With the
    AWS SDK bundle's SLF4J 1.x API first on the class path, every line of the JVM went to
    SLF4J's no-operation logger, and the log held only SLF4J's complaint
    (cinelake/stack/spark_jars.py::class_path)."""
    log = (stack.home / "logs" / "spark-thrift.log").read_text(errors="replace")
    assert " INFO HiveThriftServer2: HiveThriftServer2 started" in log
    assert "StaticLoggerBinder" not in log
    # the noise of each session, quieted: the main job opened hundreds
    assert "hive.internal.ss.authz.settings.applied.marker" not in log


def test_etl_user_reads_but_cannot_write(stack):
    with contextlib.closing(mysql(stack, "shop_owner", "shop-owner-dev")) as owner:
        with owner.cursor() as cursor:
            cursor.execute("create table if not exists probe (id int primary key)")
            cursor.execute("replace into probe values (1)")
        owner.commit()
    with contextlib.closing(mysql(stack, "etl", "etl-dev")) as etl, etl.cursor() as cursor:
        cursor.execute("select id from probe")
        assert cursor.fetchall() == ((1,),)
        for statement in (
            "insert into probe values (2)",
            "create table other (id int)",
            "drop table probe",
            "update probe set id = 3",
        ):
            with pytest.raises(pymysql.err.OperationalError) as refused:
                cursor.execute(statement)
            assert refused.value.args[0] == 1142  # ER_TABLEACCESS_DENIED_ERROR


def test_mysql_listens_on_loopback_only_and_rejects_a_wrong_password(stack):
    with pytest.raises(pymysql.err.OperationalError) as denied:
        mysql(stack, "etl", "wrong-password")
    assert denied.value.args[0] == 1045  # ER_ACCESS_DENIED_ERROR


def test_status_shows_every_service(stack):
    status = stack.cinelake("status").stdout
    assert f"thrift://127.0.0.1:{stack.thrift_port}" in status
    assert f"mysql://127.0.0.1:{stack.mysql_port}/shop" in status
    assert f"http://127.0.0.1:{stack.tmdb_port}/3" in status
    assert status.count(" running ") == 3


def test_up_twice_starts_nothing_twice(stack):
    before = stack.cinelake("status").stdout
    again = stack.cinelake("up").stdout
    assert again.count("already running") == 3
    assert stack.cinelake("status").stdout == before  # same pids


def test_the_server_of_another_stack_on_our_port_never_passes_for_ours(
    stack, tmp_path, monkeypatch
):
    """Two stacks started at the same moment on one port both find it free; the second's
    server then fails to bind, and its start-up probe must not take the first's for its own
    (`cinelake up` waits for its own, which dies with the bind error in its log)."""
    for name, value in stack.env.items():
        if name.startswith("CINELAKE_"):
            monkeypatch.setenv(name, value)
    ours = load_settings()
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))  # another stack, same ports
    theirs = load_settings()
    assert theirs.thrift_port == ours.thrift_port and theirs.lake_url != ours.lake_url
    spark_thrift.instance_file(theirs).parent.mkdir(parents=True)
    spark_thrift.instance_file(theirs).write_text("0123456789abcdef\n")  # their start's token
    assert spark_thrift.select_one(ours.thrift_port)  # a server answers on the port
    assert spark_thrift.ready_as_ours(ours)
    assert not spark_thrift.ready_as_ours(theirs)
