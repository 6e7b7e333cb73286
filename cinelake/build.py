"""`cinelake build`: the warehouse's dbt build, one at a time, and the daily run's build.

`cinelake build [DBT_ARGS]` is `dbt source freshness`, then `dbt build [DBT_ARGS]`, holding the
locks `build` and `ingest` (cinelake/runlock.py): a second build fails neither halfway, and no
landing commits while the build reads bronze. After a successful build of the whole project
(or of the daily selection) its manifest, the freshness it ran after and its start time are
kept in <home>/dbt-state: the state the next daily run compares with. A build of a selection
keeps nothing: the next daily run still selects the sources that landed before it.

`cinelake build --daily` is the scheduled run's build (scripts/pipeline.sh): with a kept
state, selectors.yml's `daily` (what landed fresher rows or changed code, and everything
downstream) against it, and the row tests of the big incremental models on the rows written
since the kept build started (`since`, handed to dbt as CINELAKE_DATA_TESTS_SINCE, which the
models' YAML reads with env_var: unlike --vars, a new value re-parses only the two files that
read it, not the whole project, for this build and the `dbt docs generate` after it). Every
build stamps the rows it writes with its start (built_at, from CINELAKE_BUILD_STARTED_AT), the
time it keeps: the next daily run's row tests read the rows stamped later, which include those
of a failed build and those that entered without landing (a payment that waited for its
subscription).
Without a kept state, or with CINELAKE_FULL_BUILD=1, it builds everything (or the selection
given in DBT_ARGS); with a kept state it refuses a selection of its own, which dbt would
silently drop for the selector.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from cinelake import runlock
from cinelake.config import PROJECT_ROOT, Settings, process_environment
from cinelake.errors import UsageError

log = logging.getLogger(__name__)

STATE_FILES = ("manifest.json", "sources.json")
STARTED_FILE = "build_started_at"
SINCE_ENV = "CINELAKE_DATA_TESTS_SINCE"  # set for dbt only; read by the models' YAML
STARTED_ENV = "CINELAKE_BUILD_STARTED_AT"  # the built_at stamp of the rows the build writes
# the daily run's models recompute the keys that landed after this (the kept build's start,
# never later: --since moves the row tests' bound only) and whole the models whose code or
# upstream code changed since the kept build (macros/utils/daily_since.sql)
LANDED_ENV = "CINELAKE_DAILY_SINCE"
CHANGED_ENV = "CINELAKE_DAILY_CHANGED_MODELS"
# dbt's arguments that choose nodes: a daily run with a kept state chooses its own
SELECTION_FLAGS = frozenset(
    {"-s", "--select", "-m", "--models", "--model", "--exclude", "--selector", "--resource-type",
     "--resource-types", "--exclude-resource-type", "--exclude-resource-types"}
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """The dbt commands of one build and what they are told."""

    freshness: list[str]
    build: list[str]
    since: str | None  # the row tests' lower bound (None: every row)
    landed_since: str | None  # the models' bound on landed rows (None: recompute every key)
    daily: bool  # the daily selection against the kept state


def state_dir(settings: Settings) -> Path:
    return settings.home / "dbt-state"


def kept_since(settings: Settings) -> str | None:
    """When the last kept build started, if a whole state is kept (None: no state)."""
    state = state_dir(settings)
    if all((state / name).is_file() for name in (*STATE_FILES, STARTED_FILE)):
        return (state / STARTED_FILE).read_text().strip() or None
    return None


def selection_of(dbt_args: Sequence[str]) -> list[str]:
    """The flags of dbt's arguments that choose nodes."""
    return [a for a in dbt_args if a.split("=", 1)[0] in SELECTION_FLAGS]


def plan(
    settings: Settings, daily: bool, since: str | None = None, dbt_args: Sequence[str] = ()
) -> Plan:
    """The commands of a build: the daily selection when asked and a state is kept (and no
    full build is forced), else everything; `since` overrides the kept start time."""
    kept = kept_since(settings)
    selective = daily and kept is not None and not settings.full_build
    chosen = selection_of(dbt_args)
    if selective and chosen:
        # dbt would take the selector and silently ignore the selection
        raise UsageError(
            f"build --daily selects by itself (selectors.yml's daily, against the state kept in "
            f"{state_dir(settings)}): drop {' '.join(chosen)}, or build that selection with "
            "`cinelake build` without --daily"
        )
    selection = ["--selector", "daily", "--state", str(state_dir(settings))] if selective else []
    return Plan(
        freshness=["dbt", "source", "freshness"],
        build=["dbt", "build", *selection, *dbt_args],
        since=(since or kept) if selective else None,
        # a later --since must not hide from the models rows that landed after the kept build
        landed_since=min(since or kept, kept) if selective and kept else None,
        daily=selective,
    )


def run(
    settings: Settings, daily: bool, since: str | None = None, dbt_args: Sequence[str] = ()
) -> int:
    """Run a build under its locks; keep the state after a successful one. dbt's status."""
    with ExitStack() as locks:
        for name in (runlock.BUILD, runlock.INGEST):
            locks.enter_context(runlock.held(settings.run_dir, name, settings.lock_wait_s))
        chosen = plan(settings, daily, since, dbt_args)
        if daily and not chosen.daily:
            what = "the selection given" if selection_of(dbt_args) else "everything"
            log.info("build: %s (%s)", what, "CINELAKE_FULL_BUILD=1" if settings.full_build
                     else f"no kept state in {state_dir(settings)}: the first run")  # fmt: skip
        env = dbt_environment(chosen.since, chosen.landed_since)
        # A stale source (dbt says which) fails the run, after a build of what is there.
        freshness = subprocess.run(chosen.freshness, cwd=PROJECT_ROOT, env=env, check=False)
        if freshness.returncode not in (0, 1):  # 1: past error_after; else dbt itself failed
            return freshness.returncode
        if chosen.daily:
            changed = changed_models(state_dir(settings), env)
            if changed is None:
                return 2
            env[CHANGED_ENV] = " ".join(changed)
        # the stamp of every row the build writes (macros/utils/built_at.sql), and, kept with
        # a successful build's state, the lower bound of the next daily run's row tests: the
        # same string, so that those tests leave out the rows this build wrote and tested
        started_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        status = subprocess.run(
            chosen.build, cwd=PROJECT_ROOT, env={**env, STARTED_ENV: started_at}, check=False
        ).returncode
        if status == 0 and not selection_of(dbt_args):
            keep_state(settings, started_at)
        elif status == 0:
            # The kept state says what the warehouse holds: a selection built some models
            # only, and a state kept after it would hide from the next daily run the sources
            # that landed before it (not fresher) and the rows it did not check (since).
            log.info("build: a selection: the state kept in %s stays that of the last whole "
                     "build", state_dir(settings))  # fmt: skip
        return status or freshness.returncode


def changed_models(state: Path, env: dict[str, str]) -> list[str] | None:
    """The models and data tests whose code, or the code of a model or macro upstream, changed
    since the kept build (dbt's state:modified+): the daily run recomputes every row of these
    models and runs these tests (macros/utils/kept_unchanged.sql), and recomputes only the keys
    the day touched of the others. None when dbt cannot say (it said why)."""
    listed = subprocess.run(
        ["dbt", "-q", "ls", "--select", "state:modified+", "--state", str(state),
         "--resource-type", "model", "--resource-type", "test", "--output", "name"],
        cwd=PROJECT_ROOT, env=env, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if listed.returncode != 0:
        log.error("build: dbt ls could not list the changed models:\n%s",
                  (listed.stdout + listed.stderr).strip()[-2000:])  # fmt: skip
        return None
    names = listed.stdout.split()
    log.info("build: %d model(s) and test(s) changed since the kept build, recomputed whole "
             "and run: %s", len(names), " ".join(names) or "none")  # fmt: skip
    return names


def dbt_environment(since: str | None, landed_since: str | None = None) -> dict[str, str]:
    """dbt's environment: ours, with the row tests' and the models' lower bounds set or
    cleared."""
    ours = (SINCE_ENV, LANDED_ENV, CHANGED_ENV)
    env = {k: v for k, v in process_environment().items() if k not in ours}
    if since:
        env[SINCE_ENV] = since
    if landed_since:
        env[LANDED_ENV] = landed_since
    return env


def keep_state(settings: Settings, started_at: str) -> None:
    """The build's manifest and freshness, and its start time: the next daily run's state."""
    state = state_dir(settings)
    state.mkdir(parents=True, exist_ok=True)
    for name in STATE_FILES:
        shutil.copy2(settings.dbt_target_path / name, state / name)
    (state / STARTED_FILE).write_text(started_at + "\n")
