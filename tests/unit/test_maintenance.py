"""`cinelake maintain` refuses a VACUUM retention below Delta's safe minimum before it runs
any SQL (no server here: a refusal that needed one would fail on the port instead)."""

from __future__ import annotations

import pytest

from cinelake import maintenance
from cinelake.config import Settings
from cinelake.errors import CinelakeError, UsageError


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


def test_named_tables_are_checked_one_by_one_and_an_unknown_one_is_a_usage_error(monkeypatch):
    """Named tables are each checked by `describe detail` (no listing of every table)."""
    catalog = {"gold.dim_title": "delta", "silver.stg_csv__movies": "delta", "gold.v": "parquet"}
    asked = []

    def run(_settings, statement):
        table = statement.removeprefix("describe detail ")
        asked.append(table)
        if table not in catalog:
            raise CinelakeError(f"Spark refused the statement: [TABLE_OR_VIEW_NOT_FOUND] {table}")
        return ["format", "name"], [(catalog[table], table)]

    monkeypatch.setattr(maintenance.sql_client, "run", run)
    named = ("silver.stg_csv__movies", "gold.dim_title", "gold.dim_title")
    assert maintenance.named_delta_tables(None, named) == [
        "gold.dim_title",
        "silver.stg_csv__movies",
    ]
    assert asked == ["silver.stg_csv__movies", "gold.dim_title"]
    with pytest.raises(UsageError, match="silver or gold: bronze.x, gold.nope, gold.v \\(name"):
        maintenance.named_delta_tables(None, ("gold.nope", "gold.dim_title", "gold.v", "bronze.x"))
