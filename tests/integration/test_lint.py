"""Lint gates: SQL with sqlfluff's dbt templater (it compiles against the live Thrift
server of the session's stack) and Python with ruff."""

from __future__ import annotations

import pytest
from conftest import BIN_DIR

pytestmark = pytest.mark.integration


def test_sql_models_are_lint_clean(stack):
    result = stack.run(str(BIN_DIR / "sqlfluff"), "lint", "models", "--templater", "dbt",
                       check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_python_is_lint_clean_and_formatted(stack):
    paths = ("cinelake", "tests", "bench")
    checked = stack.run(str(BIN_DIR / "ruff"), "check", *paths, check=False)
    assert checked.returncode == 0, checked.stdout[-4000:]
    formatted = stack.run(str(BIN_DIR / "ruff"), "format", "--check", *paths, check=False)
    assert formatted.returncode == 0, formatted.stdout[-4000:]
