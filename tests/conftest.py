"""Session fixtures: the stacks shared by the integration tests (helpers: tests/helpers/).

Every test session gets its own CINELAKE_HOME and free loopback ports, so the suite never
collides with a developer's running services, and it stops what it started at the end.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.helpers.stack import PROJECT_ROOT, Stack, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running stack (MariaDB + Spark Thrift server), shared by the whole session."""
    with running_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@pytest.fixture(scope="session")
def main_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A second session stack, for the README's main job and the modules that read what it
    built (the e2e docs test, test_stack, test_security_dbt): `stack`'s lake and catalog
    belong to the modules that land their own demo and check silver and gold against it."""
    with running_stack(tmp_path_factory.mktemp("main")) as started:
        yield started


@pytest.fixture(scope="session")
def main_job(main_stack: Stack) -> subprocess.CompletedProcess[str]:
    """The README's main job (scripts/pipeline.sh) on `main_stack`, once: demo data,
    ingestion, source freshness, `dbt build` (every seed, model, data and unit test), run
    history, docs. At scale 0.05, not the README's 1: what the tests check does not depend on
    the volume. Shared by the modules that need a full build: each costs minutes."""
    job = Stack(home=main_stack.home, env={**main_stack.env, "CINELAKE_DEMO_SCALE": "0.05"})
    return job.run("bash", str(PROJECT_ROOT / "scripts" / "pipeline.sh"))
