"""Session fixtures: the stacks shared by the integration tests (helpers: tests/helpers/).

Every test session gets its own CINELAKE_HOME and free loopback ports, so the suite never
collides with a developer's running services, and it stops what it started at the end.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.helpers.stack import MAIN_JOB_DEMO, PROJECT_ROOT, Stack, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running stack (MariaDB + Spark Thrift server), shared by the whole session."""
    with running_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@pytest.fixture(scope="session")
def main_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A second session stack, for the README's main job and the modules that check what it
    built: the e2e docs test, test_security_dbt and test_stack read it; test_transform, the
    last of them in pytest's order (files by name), checks silver and gold against the demo
    and then changes the sources and runs daily builds on it. `stack`'s lake and catalog
    belong to the modules that land their own demo."""
    with running_stack(tmp_path_factory.mktemp("main")) as started:
        yield started


@pytest.fixture(scope="session")
def main_job(main_stack: Stack) -> subprocess.CompletedProcess[str]:
    """The README's main job (scripts/pipeline.sh) on `main_stack`, once: demo data,
    ingestion, source freshness, `dbt build` (every seed, model, data and unit test), run
    history, docs. At scale 0.05, not the README's 1: what the tests check does not depend on
    the volume; with a pinned demo day, so that its figures are the same every day. Shared by
    the modules that need a full build: each costs minutes."""
    job = Stack(home=main_stack.home, env={**main_stack.env, **MAIN_JOB_DEMO})
    return job.run("bash", str(PROJECT_ROOT / "scripts" / "pipeline.sh"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (`-n 2 --dist loadgroup`, scripts/test.sh), keep each module on one
    worker, in order, so that its module-scoped stack starts once; and the modules on the
    main job's stack (test_stack, test_security_dbt, test_transform, the e2e docs test) on one
    worker together, in pytest's order, so that the main job runs once and test_transform's
    daily runs come after the modules that read the main job's build."""
    on_main = {
        item.module.__name__
        for item in items
        if {"main_stack", "main_job"} & set(item.fixturenames)
    }
    for item in items:
        module = item.module.__name__
        item.add_marker(pytest.mark.xdist_group("main_stack" if module in on_main else module))
