"""dbt_project.yml's settings whose loss no build would notice."""

from __future__ import annotations

import yaml

from tests.helpers.stack import PROJECT_ROOT


def test_dbt_sends_no_anonymous_usage_stats():
    """Off in the project itself, so that it holds wherever dbt runs (the docs site's manifest
    then says send_anonymous_usage_stats: false, and its page requests no tracking script;
    tests/e2e/test_docs_site.py checks the manifest of the main job)."""
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    assert (project.get("flags") or {}).get("send_anonymous_usage_stats") is False, (
        "dbt_project.yml: set flags: send_anonymous_usage_stats: false"
    )
