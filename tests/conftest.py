"""Session fixtures: the stacks shared by the integration tests (helpers: tests/helpers/).

Every test session gets its own CINELAKE_HOME and free loopback ports, so the suite never
collides with a developer's running services, and it stops what it started at the end.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.helpers.stack import (
    MAIN_JOB_DEMO,
    MAIN_STACK_GROUP,
    PROJECT_ROOT,
    Stack,
    running_stack,
)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running stack (MariaDB + Spark Thrift server), shared by the whole session."""
    with running_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@pytest.fixture(scope="session")
def main_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A second session stack, for the README's main job and the modules that check what it
    built: the e2e docs test, test_security_dbt and test_stack read it; test_transform, the
    last of them (marked changes_main_stack; the hook below), checks silver and gold against
    the demo and then changes the sources and runs daily builds on it. `stack`'s lake and catalog
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


def pytest_itemcollected(item: pytest.Item) -> None:
    """With pytest-xdist (`-n 2 --dist loadgroup`, scripts/test.sh), each module runs whole on
    one worker, in order, so that its module-scoped stack starts once. The modules on the main
    job's stack say so themselves (`xdist_group(MAIN_STACK_GROUP)`): one worker runs them
    together, in pytest's order, so that the main job runs once and test_transform's daily runs
    come after the modules that read the main job's build. Set here, at collection, because
    xdist reads the groups in its own pytest_collection_modifyitems."""
    if item.get_closest_marker("xdist_group") is None:
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.hookimpl(trylast=True)  # after xdist's, which adds each item's group to its node id
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The order the workers take the modules in (scripts/test.sh turns off xdist's own,
    by number of tests): the longest first, the shortest last, to fill the gaps at the end.
    The main job's modules first: they are the longest chain of the suite, and the other
    worker takes every other module meanwhile; among them, the one that changes the main job's
    build (`changes_main_stack`: test_transform's daily runs) last, after the modules that
    check that build (the e2e docs site shows its row counts). Then the compose stack (its
    own engine, image and two-worker job: the longest module after those), the other modules
    that start services, and the unit tests (seconds each) last. A stable sort: pytest's order
    is kept within.
    On an xdist worker of `--dist loadgroup`, fail at once if the groups did not reach the
    node ids (pytest 9.2 with xdist 3.8): modules would be split across workers, each worker
    starting their stacks again, silently doubling the suite's time."""
    astray = sorted(
        {i.nodeid.split("::")[0] for i in items if uses_main_stack(i) and not on_main_stack(i)}
    )
    if astray:  # on another worker, the main job would run again (minutes)
        raise pytest.UsageError(f"mark these xdist_group(MAIN_STACK_GROUP): {astray}")
    items.sort(
        key=lambda item: (
            not on_main_stack(item),
            item.get_closest_marker("changes_main_stack") is not None,
            not item.nodeid.startswith("tests/compose/"),
            item.nodeid.startswith("tests/unit/"),
        )
    )
    if getattr(config.option, "loadgroup", False) and any("@" not in i.nodeid for i in items):
        raise pytest.UsageError(
            "pytest-xdist did not group the tests by module (see the pytest pin in pyproject.toml)"
        )


def on_main_stack(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("xdist_group")
    return marker is not None and marker.args == (MAIN_STACK_GROUP,)


def uses_main_stack(item: pytest.Item) -> bool:
    return bool({"main_stack", "main_job"} & set(getattr(item, "fixturenames", ())))
