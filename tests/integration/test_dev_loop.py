"""`cinelake dev`, the warm edit loop, as an analytics engineer uses it: saves of a model in a
copy of the project are built with their tests and shown with their rows; a failing test shows
its rows, a SQL or Jinja error is dbt's message and the loop goes on; a fix is built again;
`--once` goes through the running loop; a dead Thrift server is one line. (`--once` with no
loop is plain dbt: tests/unit/test_dev.py.)"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.stack import BIN_DIR, PROJECT_ROOT, Stack, free_port

pytestmark = pytest.mark.integration

MODEL = Path("models/silver/reference/stg_reference__genres.sql")
PROJECT_PARTS = ("dbt_project.yml", "selectors.yml", "models", "macros", "seeds", "tests/dbt",
                 "docs")  # fmt: skip
WAIT_S = 300  # one save's build on a busy 2-core CI machine, with a cold dbt parse before it


def project_copy(into: Path) -> Path:
    """The dbt project's files, where the test may edit them without touching the checkout."""
    for part in PROJECT_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, into / part)
        else:
            (into / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / part)
    return into


def ctrl_c_stops() -> None:
    """In the child, before exec: SIGINT back to its default, as in a terminal. A suite that
    a non-interactive shell started in the background (`... &`) inherits SIGINT ignored, and
    so would the loop: `stop` would then wait in vain."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class DevLoop:
    """A running `cinelake dev`, its output read as it comes."""

    def __init__(self, stack: Stack, project: Path, log: Path):
        self.project, self.log = project, log
        self.output = log.open("w")
        self.process = subprocess.Popen(
            [str(BIN_DIR / "cinelake"), "dev", "--project-dir", str(project)],
            cwd=PROJECT_ROOT, env=stack.env, stdout=self.output, stderr=subprocess.STDOUT,
            text=True, preexec_fn=ctrl_c_stops,
        )  # fmt: skip
        self.read_to = 0

    def text(self) -> str:
        return self.log.read_text()

    def wait_for(self, *markers: str) -> str:
        """The output since the last wait, up to the first of `markers`."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            new = self.text()[self.read_to :]
            for marker in markers:
                if marker in new:
                    end = new.index(marker) + len(marker)
                    self.read_to += end
                    return new[:end]
            assert self.process.poll() is None, f"cinelake dev exited:\n{self.text()[-4000:]}"
            time.sleep(0.5)
        raise AssertionError(f"none of {markers} within {WAIT_S} s:\n{self.text()[-4000:]}")

    def save(self, sql: str) -> None:
        time.sleep(0.05)  # a new mtime, even on a coarse clock
        (self.project / MODEL).write_text(sql)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self.output.close()
        return code


@contextlib.contextmanager
def dev_loop(stack: Stack, project: Path, log: Path) -> Iterator[DevLoop]:
    loop = DevLoop(stack, project, log)
    try:
        yield loop
    finally:
        if loop.process.poll() is None:
            loop.process.kill()
            loop.process.wait()


@pytest.fixture(scope="module")
def genres(stack):
    """The model's seed, built: the loop builds only what a save changes."""
    stack.dbt("build", "--select", "+stg_reference__genres")


def test_each_save_is_built_with_its_tests_and_errors_leave_the_loop_running(
    stack, genres, tmp_path
):
    project = project_copy(tmp_path / "project")
    original = (project / MODEL).read_text()
    with dev_loop(stack, project, tmp_path / "dev.log") as dev:
        dev.wait_for("dev: ready")

        # a change that keeps every test green (the unit test's genres are 27 and 10770):
        # rebuilt, tested, its first rows shown
        upper_99 = ("case when genre_id = 99 then upper(trim(genre_name_pt_br)) "
                    "else trim(genre_name_pt_br) end as genre_name_pt_br")  # fmt: skip
        dev.save(original.replace("trim(genre_name_pt_br) as genre_name_pt_br", upper_99))
        built = dev.wait_for("dev: ok", "dev: FAILED")
        assert "dev: ok" in built, built
        assert "success  model stg_reference__genres" in built
        assert "pass  test unique_stg_reference__genres_genre_id" in built
        assert "-- first rows of stg_reference__genres" in built
        assert stack.thrift_rows(
            "select genre_name_pt_br from silver.stg_reference__genres where genre_id = 99"
        ) == [("DOCUMENTÁRIO",)]

        # a change that breaks a data test (not the unit test's two genres): its rows shown
        dev.save(original.replace("trim(genre_name_en) as genre_name_en",
                                  "case when genre_id = 99 then 'Horror' "
                                  "else trim(genre_name_en) end as genre_name_en"))  # fmt: skip
        failed = dev.wait_for("dev: ok", "dev: FAILED")
        assert "dev: FAILED" in failed, failed
        assert "fail  test unique_stg_reference__genres_genre_name_en" in failed
        assert "-- rows failing unique_stg_reference__genres_genre_name_en" in failed
        assert "Horror" in failed.split("-- rows failing")[1]

        # a SQL error: dbt's message (its unit test, run first, meets it), the loop goes on
        dev.save(original.replace("select\n", "selec\n", 1))
        failed = dev.wait_for("dev: ok", "dev: FAILED")
        assert "dev: FAILED" in failed and "Database Error" in failed, failed
        assert "skipped  model stg_reference__genres" in failed and "Traceback" not in failed

        # a Jinja error: dbt cannot parse; still running
        dev.save(original.replace("ref('tmdb_genres')", "ref('no_such_seed')"))
        failed = dev.wait_for("dev: ok", "dev: FAILED")
        assert "no_such_seed" in failed and "could not parse" in failed, failed

        # the fix: everything not green since the last green build is built again
        dev.save(original)
        fixed = dev.wait_for("dev: ok", "dev: FAILED")
        assert "dev: ok" in fixed and "success  model stg_reference__genres" in fixed, fixed
        assert stack.thrift_rows(
            "select genre_name_pt_br from silver.stg_reference__genres where genre_id = 99"
        ) == [("Documentário",)]

        # an editor's one-shot build goes through the running loop
        once = stack.cinelake("dev", "--once", "stg_reference__genres", "--project-dir",
                              str(project))  # fmt: skip
        assert "success  model stg_reference__genres" in once.stdout, once.stdout
        assert "no `cinelake dev` running" not in once.stdout
        dev.wait_for("dev: ok")

        assert dev.stop() == 0
    assert not (stack.home / "run" / "dev.sock").exists()


def test_a_dead_thrift_server_is_one_line_and_the_next_save_tries_again(stack, tmp_path):
    project = project_copy(tmp_path / "project")
    nowhere = Stack(home=stack.home, env={**stack.env, "CINELAKE_THRIFT_PORT": str(free_port())})
    original = (project / MODEL).read_text()
    with dev_loop(nowhere, project, tmp_path / "dev.log") as dev:
        dev.wait_for("dev: ready")
        for n in (1, 2):
            dev.save(original + f"\n-- save {n}\n")
            said = dev.wait_for("dev: ok", "dev: FAILED")
            assert "does not answer on 127.0.0.1:" in said and "Traceback" not in said, said
        assert dev.stop() == 0
