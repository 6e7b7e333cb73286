"""`cinelake sql`: one statement through the Thrift server, from a terminal."""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers.stack import Stack, free_port

pytestmark = pytest.mark.integration


def test_rows_print_as_an_aligned_table_or_csv(stack):
    statement = "select 1 as id, 'Nosferatu' as title union all select 22, null order by id"
    table = stack.cinelake("sql", statement).stdout.splitlines()
    assert table[0].split() == ["id", "title"] and set(table[1]) == {"-", " "}
    assert table[2].split() == ["1", "Nosferatu"] and table[3].split() == ["22", "NULL"]
    assert table[-1] == "(2 rows)"
    rows = list(csv.reader(io.StringIO(stack.cinelake("sql", "--csv", statement).stdout)))
    assert rows == [["id", "title"], ["1", "Nosferatu"], ["22", ""]]


def test_a_wrong_statement_is_sparks_message_without_the_java_stack(stack):
    result = stack.cinelake("sql", "select * from gold.no_such_table", check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "\tat " not in result.stderr
    assert "Spark refused the statement" in result.stderr
    assert "TABLE_OR_VIEW_NOT_FOUND" in result.stderr


def test_no_server_is_one_line_that_says_what_to_do(stack):
    elsewhere = Stack(stack.home, {**stack.env, "CINELAKE_THRIFT_PORT": str(free_port())})
    result = elsewhere.cinelake("sql", "select 1", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "does not answer" in result.stderr and "cinelake up" in result.stderr


def test_a_multi_line_delta_error_is_shown_whole_on_one_line(stack):
    """Delta's time-travel messages say what is available in their second half (or line)."""
    table = "default.sql_client_time_travel"
    stack.cinelake("sql", f"create or replace table {table} (id int) using delta")
    try:
        too_far = stack.cinelake("sql", f"select * from {table} version as of 999", check=False)
        too_early = stack.cinelake(
            "sql", f"select * from {table} timestamp as of '2020-01-01'", check=False
        )
    finally:
        stack.cinelake("sql", f"drop table if exists {table}")
    assert too_far.returncode == 1 and too_far.stderr.count("\n") == 1
    assert "version 999. Available versions: [0, 0]." in too_far.stderr
    assert too_early.returncode == 1 and too_early.stderr.count("\n") == 1
    assert "before the earliest version available to this table (" in too_early.stderr
    assert "Please use a timestamp after" in too_early.stderr
    assert "\tat " not in too_early.stderr + too_far.stderr
