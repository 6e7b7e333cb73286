"""The quarantine contract holds over the manifest of `dbt parse` (no server needed), and the
check catches the breaches it is there for."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.quarantine_contract import (
    accepted_reasons,
    contract_violations,
    quarantines_missing_from_data_health,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    target = tmp_path_factory.mktemp("dbt-target")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env.update(
        DBT_PROFILES_DIR=str(PROJECT_ROOT / "profiles"),
        DBT_TARGET_PATH=str(target),
        DBT_LOG_PATH=str(target / "logs"),
    )
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "parse"], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True, text=True)  # fmt: skip
    return json.loads((target / "manifest.json").read_text())


def test_every_error_test_on_a_staging_column_is_backed_by_a_quarantine_reason(manifest):
    assert contract_violations(manifest) == []


def test_staging_models_carry_error_tests_for_the_check_to_judge(manifest):
    checked = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("column_name")
        and (node.get("attached_node") or "").split(".")[-1].startswith("stg_")
    ]
    assert len(checked) > 50  # the check above is not vacuous


def test_a_column_test_without_a_reason_is_a_violation(manifest):
    broken = copy.deepcopy(manifest)
    broken["nodes"]["model.cinelake.stg_shop__customers"]["columns"]["city"]["meta"] = {}
    assert contract_violations(broken) == [
        "stg_shop__customers.city (not_null_stg_shop__customers_city): "
        "no quarantine_reason nor guaranteed_by in the column meta"
    ]


def test_a_reason_the_quarantine_does_not_accept_is_a_violation(manifest):
    broken = copy.deepcopy(manifest)
    columns = broken["nodes"]["model.cinelake.stg_shop__customers"]["columns"]
    columns["city"]["meta"] = {"quarantine_reason": ["city_on_the_moon"]}
    [violation] = contract_violations(broken)
    assert "city_on_the_moon" in violation and "quarantine_shop__customers" in violation


def test_a_warn_test_watching_the_source_needs_no_reason(manifest):
    relaxed = copy.deepcopy(manifest)
    relaxed["nodes"]["model.cinelake.stg_shop__customers"]["columns"]["city"]["meta"] = {}
    for node in relaxed["nodes"].values():
        if node["resource_type"] == "test" and node["name"] == "not_null_stg_shop__customers_city":
            node["config"]["severity"] = "warn"
    assert contract_violations(relaxed) == []


def test_a_shop_quarantine_accepts_the_reasons_of_its_rules(manifest):
    """shop_quarantine sets them from shop_rules when dbt parses: the lookups and the
    missing_<column> rules of subscriptions among them, none written in the YAML."""
    reasons = accepted_reasons(manifest, "model.cinelake.quarantine_shop__subscriptions")
    assert {"missing_subscription_id", "missing_started_at", "unknown_customer"} <= reasons
    assert {"unknown_plan", "unknown_status"} <= reasons


def test_a_reason_dropped_from_the_rules_is_a_violation(manifest):
    broken = copy.deepcopy(manifest)
    meta = broken["nodes"]["model.cinelake.quarantine_shop__customers"]["config"]["meta"]
    meta["quarantine_reasons"].remove("missing_city")
    assert contract_violations(broken) == [
        f"{model}.city (not_null_{model}_city): ['missing_city'] not accepted by "
        "quarantine_shop__customers"
        for model in ("stg_shop__customer_versions", "stg_shop__customers")
    ]


def test_every_quarantine_model_feeds_data_health(manifest):
    quarantines = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("quarantine_")
    ]
    assert len(quarantines) >= 10  # the check below is not vacuous
    assert quarantines_missing_from_data_health(manifest) == []


def test_a_quarantine_left_out_of_data_health_is_reported(manifest):
    broken = copy.deepcopy(manifest)
    parents = broken["nodes"]["model.cinelake.ops_data_quality_daily"]["depends_on"]["nodes"]
    parents.remove("model.cinelake.quarantine_shop__payments")
    assert quarantines_missing_from_data_health(broken) == ["quarantine_shop__payments"]
