"""`cinelake maintain` refuses a VACUUM retention below Delta's safe minimum before it runs
any SQL (no server here: a refusal that needed one would fail on the port instead)."""

from __future__ import annotations

import pytest

from cinelake import maintenance
from cinelake.config import Settings
from cinelake.errors import UsageError


def test_a_short_retention_is_refused_without_force(tmp_path):
    settings = Settings(CINELAKE_HOME=tmp_path, CINELAKE_THRIFT_PORT=1)
    with pytest.raises(UsageError, match="below Delta's safe minimum of 168"):
        maintenance.maintain(settings, retain_hours=24, force=False)


def test_the_setting_is_the_default_retention_and_is_checked_too(tmp_path):
    settings = Settings(
        CINELAKE_HOME=tmp_path, CINELAKE_THRIFT_PORT=1, CINELAKE_VACUUM_RETAIN_HOURS=100
    )
    with pytest.raises(UsageError, match="retention of 100 hours"):
        maintenance.maintain(settings, retain_hours=None, force=False)


def test_named_tables_are_chosen_and_an_unknown_one_is_a_usage_error():
    tables = ["gold.dim_title", "gold.fct_viewing_sessions", "silver.stg_csv__movies"]
    assert maintenance.chosen(tables, ()) == tables
    assert maintenance.chosen(tables, ("silver.stg_csv__movies", "gold.dim_title")) == [
        "gold.dim_title",
        "silver.stg_csv__movies",
    ]
    with pytest.raises(UsageError, match="not a Delta table of silver or gold: gold.nope"):
        maintenance.chosen(tables, ("gold.nope",))
