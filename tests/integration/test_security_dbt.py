"""The PII salt stays secret through dbt: the main job's stack (a known fake salt) after the
main job (one demo ingested and built, the docs generated); the salt is in no dbt artifact,
dbt log, stack log, Thrift server command line or docs-site answer, yet the silver e-mail hash
is the salted one; a server without the salt fails the build with one clear message. (That the
`silver` selection builds on a fresh warehouse is test_ingest_crash's.)"""

from __future__ import annotations

import hashlib
import http.client
import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.stack import BIN_DIR, MAIN_STACK_GROUP, PROJECT_ROOT, Stack, free_port

# on the main job's stack: one xdist worker runs these modules, in order (tests/conftest.py)
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group(MAIN_STACK_GROUP)]

SITE_FILES = ("/", "/index.html", "/manifest.json", "/catalog.json")
NOT_SITE_FILES = (
    "/run_results.json",
    "/semantic_manifest.json",
    "/graph_summary.json",
    "/partial_parse.msgpack",
    "/compiled/cinelake/models/silver/shop/stg_shop__customers.sql",
    "/run/cinelake/models/silver/shop/stg_shop__customers.sql",
    "/compiled/",
    "/logs/dbt.log",
    "/dbt.log",
    "/../dbt-logs/dbt.log",
    "/%2e%2e/dbt-logs/dbt.log",
    "/../logs/spark-thrift.log",
    "//etc/passwd",
)
MISSING = "CINELAKE_NO_SUCH_SALT"


@pytest.fixture(scope="module")
def salted(main_stack: Stack) -> Stack:
    """The main job's stack (see conftest): its Thrift server got the fake salt of
    stack_env() from CINELAKE_PII_SALT."""
    return main_stack


@pytest.fixture(scope="module")
def build(main_job) -> subprocess.CompletedProcess[str]:
    """The main job's `dbt build` (everything) and `dbt docs generate`."""
    return main_job


@pytest.fixture(scope="module")
def salt(salted: Stack) -> str:
    return salted.env["CINELAKE_PII_SALT"]


def files_under(*roots: Path) -> list[Path]:
    return [path for root in roots for path in root.rglob("*") if path.is_file()]


def test_the_build_passes_with_the_salt_unit_test(build):
    assert "ERROR=0" in build.stdout and "SKIP=0" in build.stdout
    # the masking (and its salt) is in base_shop__customers, read by every customer model
    masks = "PASS base_shop__customers::test_base_shop__customers_masks_pii_and_collapses_copies"
    assert masks in build.stdout


def test_bronze_registration_says_what_it_does(build):
    line = next(line for line in build.stdout.splitlines() if "bronze: 12 tables over" in line)
    assert " checked in " in line  # and, when it registered one, which


def test_the_salt_is_in_no_dbt_artifact_or_log(salted, build, salt):
    target, logs = Path(salted.env["DBT_TARGET_PATH"]), Path(salted.env["DBT_LOG_PATH"])
    searched = files_under(target, logs, salted.home / "logs")
    names = {path.name for path in searched}
    # the files that held it before: compiled and run SQL, the artifacts, both logs
    assert {"manifest.json", "run_results.json", "dbt.log", "spark-thrift.log"} <= names
    assert any("compiled" in path.parts for path in searched)
    assert any("run" in path.parts for path in searched)
    leaks = [str(path) for path in searched if salt.encode() in path.read_bytes()]
    assert leaks == []
    # what the SQL holds instead: the variable's name (the masking is in the base model)
    model = "compiled/cinelake/models/silver/shop/base/base_shop__customers.sql"
    compiled = next(target.rglob(model)).read_text()
    assert "java_method('java.lang.System', 'getenv', 'CINELAKE_PII_SALT')" in compiled


def test_the_salt_is_in_no_file_of_the_stack_home(salted, build, salt):
    """Lake, warehouse, metastore, demo data, state: the salt lives in environments only."""
    leaks = [str(p) for p in files_under(salted.home) if salt.encode() in p.read_bytes()]
    assert leaks == []


def test_the_thrift_server_has_the_salt_in_its_environment_not_its_command_line(salted, salt):
    pid = int((salted.home / "run" / "spark-thrift.pid").read_text())
    assert salt.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
    assert f"CINELAKE_PII_SALT={salt}".encode() in Path(f"/proc/{pid}/environ").read_bytes()


def test_the_spark_ui_shows_no_salt(salted, build, salt):
    """Environment tab (confs, system properties) and SQL tab (statements and their plans):
    the SQL reads the variable at run time, so no plan holds the value either."""
    # a hash computed now, so that its plan is among the executions the UI still keeps
    salted.thrift_rows("select max(email_hash) from silver.base_shop__customers")
    api = f"http://127.0.0.1:{salted.env['CINELAKE_SPARK_UI_PORT']}/api/v1/applications"
    [app] = json.load(urllib.request.urlopen(api, timeout=30))
    environment = urllib.request.urlopen(f"{api}/{app['id']}/environment", timeout=30).read()
    assert b"spark.sql.warehouse.dir" in environment and salt.encode() not in environment
    sql = urllib.request.urlopen(
        f"{api}/{app['id']}/sql?details=true&planDescription=true&length=100000", timeout=60
    ).read()
    assert b"CINELAKE_PII_SALT" in sql  # the e-mail hash's statements are there
    assert salt.encode() not in sql


def test_the_email_hash_is_salted_with_the_servers_salt(salted, build, salt):
    [(customer_id, email_hash)] = salted.thrift_rows(
        "select customer_id, email_hash from silver.stg_shop__customers"
        " order by customer_id limit 1"
    )
    [(email,)] = salted.mysql_rows(f"select email from customers where customer_id = {customer_id}")
    expected = hashlib.sha256((salt + email.strip().lower()).encode()).hexdigest()
    assert email_hash == expected


def http_get(port: int, path: str) -> tuple[int, bytes]:
    """GET the path exactly as written (no client-side normalisation of `..`)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def docs_port(salted, build) -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN_DIR / "cinelake"), "docs", "--port", str(port)],
        cwd=PROJECT_ROOT, env=salted.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert b"dbt docs on" in server.stdout.readline()
        yield port
    finally:
        server.terminate()
        server.wait()


@pytest.mark.parametrize("path", SITE_FILES)
def test_the_docs_site_files_are_served_without_the_salt(docs_port, path, salt):
    status, body = http_get(docs_port, path)
    assert status == 200 and len(body) > 1000
    assert salt.encode() not in body


@pytest.mark.parametrize("path", NOT_SITE_FILES)
def test_nothing_else_of_the_target_path_is_served(salted, docs_port, path, salt):
    status, body = http_get(docs_port, path)
    assert status == 404 and salt.encode() not in body


def test_the_docs_port_is_checked(salted):
    result = salted.cinelake("docs", "--port", "99999", check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--port" in result.stderr and "65535" in result.stderr


def test_a_server_without_the_salt_fails_the_build_with_one_clear_message(salted, build):
    """The on-run-start guard, pointed at a variable the server does not have."""
    result = salted.run(
        str(BIN_DIR / "dbt"), "build", "--select", "stg_shop__customers",
        "--vars", f"{{pii_salt_env: {MISSING}}}", check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"The PII salt is missing: the Spark Thrift server has no {MISSING}" in result.stdout
    assert "Traceback" not in result.stdout and "HiveSQLException" not in result.stdout


def test_the_salt_expression_itself_refuses_to_hash_without_a_salt(salted, build):
    """Where no hook runs first (an executor of a worker without the salt, `dbt show`)."""
    result = salted.run(
        str(BIN_DIR / "dbt"), "show", "--inline", "select {{ pii_salt_sql() }} as salt",
        "--vars", f"{{pii_salt_env: {MISSING}}}", check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"The PII salt is missing: this Spark JVM has no {MISSING}" in result.stdout


def test_dbt_show_with_its_own_limit_or_dbts(salted, build):
    """The two `dbt show` forms of docs/modelling.md work as written against gold."""
    ours = salted.dbt(
        "show", "--inline", "select title_key, primary_title from gold.dim_title", "--limit", "3"
    )
    assert ours.stdout.count("| ") >= 3 * 2 and "primary_title" in ours.stdout
    as_written = salted.dbt(
        "show", "--inline", "select primary_title from gold.dim_title limit 2", "--limit", "-1"
    )
    assert "primary_title" in as_written.stdout
