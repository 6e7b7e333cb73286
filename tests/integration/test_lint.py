"""The lint gate: the pre-commit hooks users run (ruff, sqlfluff with the jinja templater), the
one way SQL and Python are linted here. (A second sqlfluff pass with the dbt templater, against
a live server, was dropped for CI time: it linted the same models again. What it alone saw, a
rule broken only by the SQL dbt compiles, is now found only by running it by hand:
docs/development.md.)"""

from __future__ import annotations

import os
import shutil
import subprocess

from tests.helpers.stack import BIN_DIR, PROJECT_ROOT


def test_pre_commit_hooks_pass(tmp_path):
    """`pre-commit run --all-files`, as docs/development.md and CI's pre-commit job run it, on a git
    repository of its own holding the working tree's files (tracked, and new ones not ignored):
    pre-commit lints what git lists, and the developer's index and tree stay untouched. The
    hooks are `language: system` (this virtualenv's tools), so nothing is downloaded."""
    # safe.directory: CI's container runs as root over a checkout it does not own
    git = ("git", "-c", f"safe.directory={PROJECT_ROOT}")
    listed = subprocess.run(
        [*git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    repo = tmp_path / "repo"
    for name in sorted({n for n in listed if n}):
        source = PROJECT_ROOT / name
        if source.is_file():  # a tracked file deleted in the tree is not listed by pre-commit
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               PATH=f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}")  # fmt: skip
    for argv in (("git", "init", "-q"), ("git", "add", "-A")):
        subprocess.run(argv, cwd=repo, env=env, check=True, capture_output=True)
    result = subprocess.run([str(BIN_DIR / "pre-commit"), "run", "--all-files", "--color=never"],
                            cwd=repo, env=env, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # each hook ran on files and passed ("(no files to check)Skipped" would pass vacuously)
    lines = result.stdout.splitlines()
    for hook in ("ruff check", "ruff format --check", "sqlfluff lint (jinja templater)"):
        assert any(line.startswith(f"{hook}.") and line.endswith(".Passed") for line in lines), (
            result.stdout
        )
