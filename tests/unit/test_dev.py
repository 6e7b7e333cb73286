"""`cinelake dev` (cinelake/dev.py) without services: which files a save can change, which
bronze tables need a registration, how a build's outcome is reported, and `--once` with no
loop running (plain dbt). The loop itself, against a real server, is
tests/integration/test_dev_loop.py's."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

from cinelake import dev
from cinelake.config import Settings


def outcome(kind: str, name: str, status: str, message: str = "", **node) -> SimpleNamespace:
    return SimpleNamespace(
        status=status,
        message=message,
        node=SimpleNamespace(resource_type=kind, name=name, **node),
    )


def test_the_files_a_save_can_change_are_watched_and_nothing_else(tmp_path):
    for name in ("models/a.sql", "models/a.yml", "macros/m.sql", "seeds/s.csv",
                 "docs/d.md", "models/notes.txt", "target/x.sql", "dbt_project.yml"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    watched = {str(p.relative_to(tmp_path)) for p in dev.project_files(tmp_path)}
    assert watched == {"models/a.sql", "models/a.yml", "macros/m.sql", "seeds/s.csv",
                       "docs/d.md", "dbt_project.yml"}  # fmt: skip


def test_a_save_changes_the_snapshot(tmp_path):
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1")
    before = dev.project_files(tmp_path)
    model.write_text("select 12")
    assert dev.project_files(tmp_path) != before


def test_bronze_needs_a_registration_only_when_a_delta_table_appears(tmp_path):
    settings = Settings(CINELAKE_HOME=tmp_path)
    bronze = tmp_path / "lake" / "bronze"
    (bronze / "csv" / "movies" / "_delta_log").mkdir(parents=True)
    first = dev.bronze_tables(settings)
    (bronze / "csv" / "movies" / "_delta_log" / "00001.json").write_text("{}")  # a new load
    (bronze / "shop" / "plans").mkdir(parents=True)  # not landed yet: no log
    assert dev.bronze_tables(settings) == first and len(first) == 1
    (bronze / "shop" / "plans" / "_delta_log").mkdir()
    assert dev.bronze_tables(settings) != first


def test_a_report_has_each_node_the_failing_rows_and_the_first_rows(monkeypatch):
    asked: list[str] = []

    def run(_settings, sql):
        asked.append(sql)
        return ["genre_name_en", "n_records"], [("Horror", 2)]

    monkeypatch.setattr(dev.sql_client, "run", run)
    report = dev.Report()
    dev.describe(
        [
            outcome("operation", "cinelake-on-run-start-0", "success"),
            outcome("model", "stg_x", "success", "OK", relation_name="silver.stg_x"),
            outcome(
                "test",
                "unique_stg_x_name",
                "fail",
                "Got 1 result, configured to fail",
                compiled_code="select name from silver.stg_x group by 1 having count(*) > 1",
            ),
            outcome("test", "not_null_stg_x_id", "pass"),
        ],  # fmt: skip
        report,
        Settings(),
    )
    text = "\n".join(report.lines)
    assert "on-run-start" not in text  # the hooks are not the user's nodes
    assert "success  model stg_x: OK" in text and "   pass  test not_null_stg_x_id" in text
    assert "   fail  test unique_stg_x_name: Got 1 result" in text
    assert asked == [
        "select * from silver.stg_x limit 10",
        "select * from (select name from silver.stg_x group by 1 having count(*) > 1) failing "
        "limit 10",
    ]
    assert "-- rows failing unique_stg_x_name" in text and "Horror" in text


def test_once_with_no_loop_running_is_plain_dbt(tmp_path, monkeypatch, capsys):
    ran: list[list[str]] = []
    monkeypatch.setattr(
        subprocess, "run", lambda argv, check: ran.append(argv) or SimpleNamespace(returncode=0)
    )
    status = dev.once(Settings(CINELAKE_HOME=tmp_path), "stg_x", project_dir=Path("/p"))
    assert status == 0
    assert ran == [["dbt", "build", "--project-dir", "/p", "--select", "stg_x"]]
    assert "no `cinelake dev` running: plain dbt" in capsys.readouterr().out
