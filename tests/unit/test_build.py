"""`cinelake build` (cinelake/build.py) with a stand-in `dbt`: freshness then build under the
locks `build` and `ingest`; the state kept after a success only; `--daily` selects against a
kept state, hands dbt the row tests' lower bound, and builds everything without one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cinelake import build
from cinelake.config import Settings
from cinelake.errors import EXIT_LOCKED

ROOT = Path(__file__).resolve().parents[2]
HOLD = (
    "import sys, time; from pathlib import Path; from cinelake import runlock; "
    "runlock.acquire(Path(sys.argv[1]), sys.argv[2], 0, 'cinelake ingest all'); "
    "print('held', flush=True); time.sleep(60)"
)


def fake_dbt(tmp_path: Path, build_status: int = 0, ls_status: int = 0) -> Path:
    """A `dbt` that logs its arguments, CINELAKE_DATA_TESTS_SINCE and whether the locks are
    taken while it runs, notes the stamp it was given (CINELAKE_BUILD_STARTED_AT) in
    tmp_path/stamp and the changed models and the bound of the models it was told
    (CINELAKE_DAILY_CHANGED_MODELS, CINELAKE_DAILY_SINCE) in tmp_path/changed, writes the
    artifacts a build leaves, and exits `build_status` for a build (0 for the freshness
    check); `dbt -q ls` lists two models and exits `ls_status`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    probe = f"{sys.executable} -m cinelake.cli lock {{0}} -- true 2>/dev/null; echo {{0}} $?"
    target = tmp_path / "target"
    (bin_dir / "dbt").write_text(
        "#!/bin/sh\n"
        f'[ "$2" = ls ] && echo "$*" > {tmp_path}/ls'
        f' && printf "stg_a\\nfct_b\\n" && exit {ls_status}\n'
        'echo "dbt $* since=${CINELAKE_DATA_TESTS_SINCE:-none}"\n'
        '[ "$1" = build ] && echo'
        f' "${{CINELAKE_DAILY_CHANGED_MODELS-unset}}|${{CINELAKE_DAILY_SINCE-unset}}"'
        f" > {tmp_path}/changed\n"
        + probe.format("build") + "\n" + probe.format("ingest") + "\n"
        f'echo "$1 ${{CINELAKE_BUILD_STARTED_AT:-none}}" >> {tmp_path}/stamp\n'
        f"mkdir -p {target}\n"
        f'[ "$1" = source ] && echo "{{}}" > {target}/sources.json && exit 0\n'
        f'echo "{{}}" > {target}/manifest.json\n'
        f"exit {build_status}\n"
    )  # fmt: skip
    (bin_dir / "dbt").chmod(0o755)
    return bin_dir


def cli(
    tmp_path: Path, *args: str, build_status: int = 0, ls_status: int = 0
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CINELAKE_", "DBT_"))}
    fake = fake_dbt(tmp_path, build_status, ls_status)
    env.update(CINELAKE_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT),
               DBT_TARGET_PATH=str(tmp_path / "target"),
               PATH=f"{fake}{os.pathsep}{env['PATH']}")  # fmt: skip
    return subprocess.run([sys.executable, "-m", "cinelake.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_a_build_is_freshness_then_dbt_build_holding_both_locks_and_keeps_its_state(tmp_path):
    result = cli(tmp_path, "build", "--full-refresh", "--vars", "{a: 1}")
    assert result.returncode == 0, result.stderr
    refused = [f"build {EXIT_LOCKED}", f"ingest {EXIT_LOCKED}"]  # while dbt ran, both held
    assert result.stdout.splitlines() == [
        "dbt source freshness since=none", *refused,
        "dbt build --full-refresh --vars {a: 1} since=none", *refused,  # unknown args: dbt's
    ]  # fmt: skip
    state = tmp_path / "home" / "dbt-state"
    assert sorted(p.name for p in state.iterdir()) == [
        "build_started_at", "manifest.json", "sources.json"
    ]  # fmt: skip
    # the build (not freshness) stamps its rows with the start it keeps (built_at)
    started = (state / "build_started_at").read_text().strip()
    assert (tmp_path / "stamp").read_text().splitlines() == ["source none", f"build {started}"]


def test_a_failed_build_keeps_no_state_and_returns_dbts_status(tmp_path):
    result = cli(tmp_path, "build", build_status=3)
    assert result.returncode == 3
    assert not (tmp_path / "home" / "dbt-state").exists()


def test_a_successful_build_of_a_selection_keeps_the_state_of_the_last_whole_build(tmp_path):
    """A selection built after a landing: a state kept then would make the next daily run see
    that source as not fresher, and skip its models."""
    assert cli(tmp_path, "build", "--select", "stg_x").returncode == 0
    assert not (tmp_path / "home" / "dbt-state").exists()
    assert cli(tmp_path, "build").returncode == 0
    kept = (tmp_path / "home" / "dbt-state" / "build_started_at").read_text()
    time.sleep(1.1)  # a later stamp, were it kept
    selected = cli(tmp_path, "build", "--exclude", "stg_x")
    assert selected.returncode == 0
    assert "a selection: the state kept in" in selected.stderr
    assert (tmp_path / "home" / "dbt-state" / "build_started_at").read_text() == kept


def test_the_daily_build_selects_against_the_kept_state_with_its_start_as_the_bound(tmp_path):
    state = tmp_path / "home" / "dbt-state"
    state.mkdir(parents=True)
    for name in ("manifest.json", "sources.json"):
        (state / name).write_text("{}")
    (state / "build_started_at").write_text("2026-03-01 03:15:00\n")
    result = cli(tmp_path, "build", "--daily")
    assert result.returncode == 0, result.stderr
    builds = [line for line in result.stdout.splitlines() if line.startswith("dbt build")]
    assert builds == [f"dbt build --selector daily --state {state} since=2026-03-01 03:15:00"]
    assert (state / "build_started_at").read_text() != "2026-03-01 03:15:00\n"  # kept anew
    # the models whose code changed since the kept build, from dbt, recompute every key
    assert (tmp_path / "ls").read_text().split() == [
        "-q", "ls", "--select", "state:modified+", "--state", str(state),
        "--resource-type", "model", "--resource-type", "test", "--output", "name",
    ]  # fmt: skip
    assert (tmp_path / "changed").read_text() == "stg_a fct_b|2026-03-01 03:15:00\n"


def test_a_daily_build_that_cannot_list_the_changed_models_builds_nothing(tmp_path):
    state = tmp_path / "home" / "dbt-state"
    state.mkdir(parents=True)
    for name in ("manifest.json", "sources.json", "build_started_at"):
        (state / name).write_text("{}")
    result = cli(tmp_path, "build", "--daily", ls_status=2)
    assert result.returncode == 2
    assert "could not list the changed models" in result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("dbt build")]


def test_a_whole_build_is_told_no_changed_models(tmp_path):
    assert cli(tmp_path, "build").returncode == 0
    assert (tmp_path / "changed").read_text() == "unset|unset\n"
    assert not (tmp_path / "ls").exists()


def test_the_daily_build_without_a_state_or_forced_full_builds_everything(tmp_path):
    settings = Settings(CINELAKE_HOME=tmp_path)
    chosen = build.plan(settings, daily=True)
    assert (chosen.build, chosen.since, chosen.daily) == (["dbt", "build"], None, False)
    assert chosen.landed_since is None
    state = build.state_dir(settings)
    state.mkdir()
    for name in (*build.STATE_FILES, build.STARTED_FILE):
        (state / name).write_text("2026-03-01 03:15:00")
    later = build.plan(settings, daily=True, since="2026-03-02 00:00:00")
    assert later.since == "2026-03-02 00:00:00"
    # the models never take a bound later than the kept start: rows landed between the two
    # would be recomputed by no daily run
    assert later.landed_since == "2026-03-01 03:15:00"
    earlier = build.plan(settings, daily=True, since="2026-02-28 00:00:00")
    assert (earlier.since, earlier.landed_since) == ("2026-02-28 00:00:00",) * 2
    forced = build.plan(Settings(CINELAKE_HOME=tmp_path, CINELAKE_FULL_BUILD=True), daily=True)
    assert (forced.build, forced.since, forced.landed_since) == (["dbt", "build"], None, None)


@pytest.mark.parametrize("taken", ["build", "ingest"])
def test_a_build_refuses_while_a_build_or_a_landing_runs(tmp_path, taken):
    run_dir = tmp_path / "home" / "run"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(run_dir), taken], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = cli(tmp_path, "build")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_LOCKED and result.stdout == ""  # dbt never started
    assert result.stderr.startswith(f"cinelake: error: another run holds the {taken} lock")


def test_a_daily_build_with_a_kept_state_refuses_a_selection_of_its_own(tmp_path):
    """dbt takes --selector and silently ignores --select: the daily run (which chooses by
    selectors.yml's `daily`) refuses one instead; its first run, with no state, builds it."""
    (tmp_path / "first").mkdir()
    first = cli(tmp_path / "first", "build", "--daily", "--select", "+dim_title")
    assert first.returncode == 0, first.stderr
    assert "dbt build --select +dim_title since=none" in first.stdout
    state = tmp_path / "home" / "dbt-state"
    state.mkdir(parents=True)
    for name in ("manifest.json", "sources.json", "build_started_at"):
        (state / name).write_text("{}" if name.endswith(".json") else "2026-03-01 03:15:00\n")
    refused = cli(tmp_path, "build", "--daily", "--exclude-resource-type=unit_test")
    assert refused.returncode == 2
    assert "build --daily selects by itself" in refused.stderr
    assert "--exclude-resource-type=unit_test" in refused.stderr
    assert "dbt build" not in refused.stdout
