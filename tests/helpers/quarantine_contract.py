"""The quarantine contract (CONTRIBUTING.md), checked over dbt's target/manifest.json.

Every error-severity test on a column of a staging model (`stg_*`) must be backed: the
column's meta names the quarantine reason(s) that send a breaking row to the model's
quarantine (`quarantine_reason`, each accepted by that quarantine model: listed in its
accepted_values, or, for a shop table, one of the reasons of its rules, which the shop_quarantine
macro sets as the model's meta `quarantine_reasons` and the quarantine_reasons_known test
checks the rows against), or says why no source row can break it (`guaranteed_by`: a surrogate
key, a count, a constant, a seed). Source data then never fails an error test; a failure is a
bug of ours.

Every quarantine model also feeds data health: it is a parent of ops_data_quality_daily, whose
union is generated from a list of the quarantine models, which a new one could be left out of.
"""

from __future__ import annotations

import re

REF = re.compile(r"ref\(\s*['\"]([^'\"]+)['\"]\s*\)")


def _tests_of(manifest: dict, node_id: str) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node") == node_id
    ]


def accepted_reasons(manifest: dict, quarantine_id: str) -> set[str]:
    """The reason codes a quarantine model's tests accept: the values of accepted_values, or
    the model's meta `quarantine_reasons` (from its rules) when quarantine_reasons_known checks
    the rows against it."""
    reasons: set[str] = set()
    for test in _tests_of(manifest, quarantine_id):
        meta = test.get("test_metadata") or {}
        if test.get("column_name") != "quarantine_reason":
            continue
        if meta.get("name") == "accepted_values":
            reasons |= set(meta["kwargs"].get("values") or [])
        elif meta.get("name") == "quarantine_reasons_known":
            model_meta = manifest["nodes"][quarantine_id]["config"].get("meta") or {}
            reasons |= set(model_meta.get("quarantine_reasons") or [])
    return reasons


def _quarantine_of(manifest: dict, model_id: str) -> str | None:
    """The quarantine model named by the staging model's rows_accounted_for test."""
    for test in _tests_of(manifest, model_id):
        meta = test.get("test_metadata") or {}
        if meta.get("name") == "rows_accounted_for":
            found = REF.search(str(meta["kwargs"].get("quarantine") or ""))
            if found:
                return f"model.{test['package_name']}.{found.group(1)}"
    return None


def contract_violations(manifest: dict) -> list[str]:
    """One line per error-severity staging column test that no quarantine reason backs."""
    violations = []
    for test in manifest["nodes"].values():
        if test["resource_type"] != "test" or not test.get("column_name"):
            continue
        if str(test["config"].get("severity", "error")).lower() != "error":
            continue
        model_id = test.get("attached_node") or ""
        model = manifest["nodes"].get(model_id)
        if model is None or not model["name"].startswith("stg_"):
            continue
        column = test["column_name"]
        meta = (model["columns"].get(column) or {}).get("meta") or {}
        where = f"{model['name']}.{column} ({test['name']})"
        reasons = meta.get("quarantine_reason") or []
        reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        if not reasons and not str(meta.get("guaranteed_by") or "").strip():
            violations.append(f"{where}: no quarantine_reason nor guaranteed_by in the column meta")
            continue
        if not reasons:
            continue
        quarantine_id = _quarantine_of(manifest, model_id)
        if quarantine_id is None or quarantine_id not in manifest["nodes"]:
            violations.append(f"{where}: no quarantine model (rows_accounted_for quarantine:)")
            continue
        missing = set(reasons) - accepted_reasons(manifest, quarantine_id)
        if missing:
            violations.append(
                f"{where}: {sorted(missing)} not accepted by {quarantine_id.split('.')[-1]}"
            )
    return sorted(violations)


def quarantines_missing_from_data_health(manifest: dict) -> list[str]:
    """The quarantine models (`quarantine_*`) that ops_data_quality_daily does not read."""
    data_health = next(
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] == "ops_data_quality_daily"
    )
    parents = set(data_health["depends_on"]["nodes"])
    return sorted(
        node["name"]
        for node_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["name"].startswith("quarantine_")
        and node_id not in parents
    )
