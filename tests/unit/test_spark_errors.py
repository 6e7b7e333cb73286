"""`cinelake sql`'s error line: the whole message of a Spark error, without what follows it."""

from __future__ import annotations

from cinelake.stack.sql_client import spark_message

# The errorMessage of the Thrift server's TStatus for a Delta time-travel error, as Spark 4.0 and
# Delta 4.0.1 send it (plus the stack that str() of an error adds): Delta's message spans two
# lines, and its second half says what to do.
DELTA_TIMESTAMP_TOO_EARLY = """\
Error running query: \
org.apache.spark.sql.delta.DeltaErrorsBase$TimestampEarlierThanCommitRetentionException: \
The provided timestamp (2020-01-01 00:00:00.0) is before the earliest version available to this
table (2026-12-05 08:34:41.316). Please use a timestamp after 2026-12-05 08:34:41.
         
\tat org.apache.spark.sql.delta.DeltaErrorsBase.timestampEarlier(DeltaErrors.scala:1372)
\tat org.apache.spark.sql.delta.DeltaHistoryManager.getActiveCommit(DeltaHistory.scala:171)
Caused by: java.lang.IllegalStateException: nothing useful
\t... 42 more
"""

# An AnalysisException (as Spark 4.0 sends it): the message spans lines too, and the analyzed
# plan follows it.
TABLE_NOT_FOUND = """\
Error running query: [TABLE_OR_VIEW_NOT_FOUND] \
org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] \
The table or view `gold`.`no_such_table` cannot be found. Verify the spelling and correctness \
of the schema and catalog.
If you did not qualify the name with a schema, verify the current_schema() output, or qualify \
the name with the correct schema and catalog.
To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01; \
line 1 pos 14;
'Project [*]
+- 'UnresolvedRelation [gold, no_such_table], [], false
"""


def test_a_multi_line_delta_message_is_kept_whole_on_one_line():
    message = spark_message(DELTA_TIMESTAMP_TOO_EARLY)
    assert "\n" not in message
    assert message == (
        "The provided timestamp (2020-01-01 00:00:00.0) is before the earliest version "
        "available to this table (2026-12-05 08:34:41.316). Please use a timestamp after "
        "2026-12-05 08:34:41."
    )
    assert "\tat " not in message and "DeltaErrors.scala" not in message
    assert "Caused by" not in message and "Error running query" not in message


def test_the_query_plan_after_an_analysis_error_is_left_out():
    message = spark_message(TABLE_NOT_FOUND)
    assert "\n" not in message
    assert message.startswith("[TABLE_OR_VIEW_NOT_FOUND]")
    assert "qualify the name with the correct schema" in message
    assert "UnresolvedRelation" not in message and "Project" not in message


def test_a_message_without_an_error_class_is_kept_as_it_is():
    assert spark_message("Error running query: something broke\n\tat a.b(C.java:1)\n") == (
        "something broke"
    )


def test_the_statement_underlined_after_a_refusal_is_left_out():
    text = (
        "Error running query: org.apache.spark.sql.catalyst.parser.ParseException: \n"
        "Operation not allowed: Schema may not be specified in a Replace Table As Select "
        "(RTAS) statement.\n\n== SQL (line 1, position 1) ==\n"
        "create or replace table t (a int) using delta as select 1 as a\n^^^^^^^^^^^^^^^^\n"
    )
    assert spark_message(text) == (
        "Operation not allowed: Schema may not be specified in a Replace Table As Select "
        "(RTAS) statement."
    )
