"""Secrets stay secret, files stay private, a wrong setting or a dead service is one line.

With a known fake TMDB token (the stand-in's, and a wrong one), a known fake PII salt and a
webhook whose address is itself a credential, the module drives the failure paths (TMDB
unreachable, 401, persistent 5xx; the alert captured by a loopback listener), then searches
every artifact it can find for those values: console output, every file under the ingestion
home (run reports, dlt state), the services' logs, the rows of `bronze/ops/ingestion_runs`
and the alert bodies. The dbt side (compiled SQL, artifacts, the docs server) has its own
module, `test_security_dbt.py`.
"""

from __future__ import annotations

import json
import secrets
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.helpers.stack import Stack, free_port, webhook

pytestmark = pytest.mark.integration

WRONG_TOKEN = f"fake-wrong-token-{secrets.token_hex(8)}"
HOOK_PATH = f"/services/T0FAKE/B0FAKE/{secrets.token_hex(12)}"


@pytest.fixture(scope="module")
def alerts() -> Iterator[tuple[str, list[dict]]]:
    with webhook(HOOK_PATH) as receiver:
        yield receiver


@pytest.fixture(scope="module")
def failures(stack, alerts, tmp_path_factory) -> dict:
    """The three TMDB failure paths, each a `cinelake ingest tmdb` in its own home."""
    url, bodies = alerts
    token = stack.env["CINELAKE_TMDB_STANDIN_KEY"]
    cases = {
        "unreachable": {"CINELAKE_TMDB_BASE_URL": f"http://127.0.0.1:{free_port()}/3"},
        "refused": {"CINELAKE_TMDB_STANDIN_KEY": WRONG_TOKEN},
        "server_errors": {},
    }
    results = {}
    for case, env in cases.items():
        home = tmp_path_factory.mktemp(f"secrets-{case}")
        runner = Stack(home, {**stack.env, "CINELAKE_HOME": str(home),
                              "CINELAKE_ALERT_WEBHOOK": url, **env})  # fmt: skip
        if case == "server_errors":
            stack.standin("/_cinelake/faults", {"server_error_every": 1})
        try:
            results[case] = (home, runner.cinelake("ingest", "tmdb", check=False))
        finally:
            stack.standin("/_cinelake/faults", {})
    # A client of the stand-in that still puts the token in the URL (as v3 clients do).
    with urllib.request.urlopen(
        f"http://127.0.0.1:{stack.tmdb_port}/3/genre/movie/list?api_key={token}"
    ) as response:
        assert response.status == 200
    return {"results": results, "alerts": bodies, "secrets": [token, WRONG_TOKEN, HOOK_PATH]}


def text_of(path: Path) -> str:
    """A file as searchable text: Parquet as its rows (its pages may be compressed)."""
    if path.suffix == ".parquet":
        return json.dumps(ds.dataset(path, format="parquet").to_table().to_pylist(), default=str)
    return path.read_bytes().decode("utf-8", errors="replace")


def test_each_failure_is_one_clear_line_and_an_alert(failures):
    for case, (home, result) in failures["results"].items():
        assert result.returncode == 1, (case, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, case
        errors = [line for line in result.stderr.splitlines() if "cinelake: error:" in line]
        assert errors == [errors[0]] and errors[0].startswith("cinelake: error: tmdb: TmdbError")
        report = json.loads((home / "runs" / "latest.json").read_text())
        assert report["status"] == "failed", case
    assert "HTTP 401" in failures["results"]["refused"][1].stderr
    assert "failed after" in failures["results"]["server_errors"][1].stderr
    assert len(failures["alerts"]) == 3
    assert all(alert["text"].endswith("failed (tmdb)") for alert in failures["alerts"])


def test_no_token_or_webhook_address_in_any_artifact(stack, failures):
    artifacts: dict[str, str] = {}
    for case, (home, result) in failures["results"].items():
        artifacts[f"{case}: console"] = result.stdout + result.stderr
        for path in home.rglob("*"):
            if path.is_file():
                artifacts[str(path)] = text_of(path)
    for path in (stack.home / "logs").glob("*.log"):  # the stand-in's access log among them
        artifacts[str(path)] = text_of(path)
    for number, alert in enumerate(failures["alerts"]):
        artifacts[f"alert {number}"] = json.dumps(alert)
    assert any("ingestion_runs" in name for name in artifacts)  # the ops table was read
    leaks = [
        (name, secret[:12])
        for name, text in artifacts.items()
        for secret in failures["secrets"]
        if secret in text
    ]
    assert leaks == []


def test_the_pii_salt_is_in_no_file_the_stack_wrote(stack, failures):
    salt = stack.env["CINELAKE_PII_SALT"]
    holders = [
        str(path)
        for path in stack.home.rglob("*")
        if path.is_file() and "mariadb" not in path.parts and salt in text_of(path)
    ]
    assert holders == []


def test_the_state_directory_is_private(stack, failures):
    """Everything the services and the CLI wrote is owner-only (dbt's own target and log
    folders, which the test harness puts under the home, are the harness's, not the stack's)."""
    harness = {"dbt-target", "dbt-logs"}
    exposed = [
        f"{stat.filemode(path.lstat().st_mode)} {path}"
        for path in [stack.home, *stack.home.rglob("*")]
        if not path.is_symlink()
        and not harness & set(path.relative_to(stack.home).parts)
        and path.lstat().st_mode & 0o077
    ]
    assert exposed == []


def test_status_asks_the_port_not_only_the_pid(stack):
    """The server runs, but not where the settings say: `status` says so, exit 3."""
    moved = Stack(stack.home, {**stack.env, "CINELAKE_THRIFT_PORT": str(free_port())})
    result = moved.cinelake("status", check=False)
    assert result.returncode == 3
    assert "spark-thrift    NOT ANSWERING" in result.stdout
    assert stack.cinelake("status").returncode == 0
