"""`cinelake sql`: one statement through the Spark Thrift server, printed as a table or CSV.

The server is the quick way into the catalog (no JVM to start), so this is what a terminal
user runs instead of a SQL shell. A Spark error is shown as its whole message on one line, not
the query plan or the Java stack behind it.
"""

from __future__ import annotations

import contextlib
import csv
import re
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from cinelake.config import Settings
from cinelake.errors import CinelakeError
from cinelake.stack.process import port_open

MAX_WIDTH = 60  # a cell wider than this is cut, with an ellipsis, in the table format
# Where the message of a Spark error ends: the Java stack ("\tat ...", "Caused by: ..."), the
# analyzed query plan that an AnalysisException appends after "; line 1 pos 14;" (lines such
# as "'Project [*]" and "+- 'UnresolvedRelation ..."), or the statement itself, underlined
# with ^^^ ("== SQL (line 1, position 1) ==").
_NOT_MESSAGE = re.compile(r"^\s+at |^Caused by: |^\s*\.\.\. \d+ more|^'|^\s*[+:]- |^== SQL")
# What the Thrift server puts before the message: its error class, then the Java exception's
# class ("[DELTA_...] org.apache.spark.sql.delta.DeltaAnalysisException: "); the message
# repeats the error class.
_JAVA_CLASS = re.compile(
    r"^(?:\[[A-Z0-9_.]+\] )?(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): "
)


# Opening a session takes well under a second on a healthy server; the server resolves the
# session's database in the metastore, so with MariaDB wedged it could hang as long as that
# does. A session not open within this many seconds is an error naming what to check.
OPEN_TIMEOUT_S = 30


class SessionTimeout(CinelakeError):
    """The Thrift server accepted the connection but opened no session in time."""


def connect(
    host: str,
    port: int,
    open_timeout_s: float = OPEN_TIMEOUT_S,
    read_timeout_s: float | None = None,
) -> Any:
    """A PyHive connection to the Thrift server (user `cinelake`, no password: pyhive's
    default SASL PLAIN), whose opening is bounded by `open_timeout_s`; statements then wait
    `read_timeout_s` for an answer, by default as long as Spark works (an OPTIMIZE of a big
    table takes minutes)."""
    import thrift_sasl
    from pyhive import hive
    from thrift.transport.TSocket import TSocket
    from thrift.transport.TTransport import TTransportException

    socket = TSocket(host, port)
    socket.setTimeout(open_timeout_s * 1000)
    transport = thrift_sasl.TSaslClientTransport(
        lambda: hive.get_installed_sasl(
            host=host, sasl_auth="PLAIN", username="cinelake", password="x"
        ),  # fmt: skip
        "PLAIN",
        socket,
    )
    try:
        conn = hive.connect(thrift_transport=transport, username="cinelake")
    except (TimeoutError, TTransportException) as exc:
        transport.close()
        if isinstance(exc, TTransportException) and exc.type != TTransportException.TIMED_OUT:
            raise
        raise SessionTimeout(
            f"the Spark Thrift server on {host}:{port} opened no session in {open_timeout_s} s: "
            "it is busy or its catalog (the Hive metastore in MariaDB) does not answer; "
            "see `cinelake status`"
        ) from None
    socket.setTimeout(read_timeout_s * 1000 if read_timeout_s else None)
    return conn


def run(settings: Settings, statement: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of one statement."""
    return run_all(settings, [statement])[0]


def run_all(settings: Settings, statements: Sequence[str]) -> list[tuple[list[str], list[tuple]]]:
    """Column names and rows of each statement, in order, in one session (a `set` holds for
    the statements after it); the first statement Spark refuses stops the rest."""
    host = settings.thrift_host  # 127.0.0.1, or the compose service `spark-thrift`
    if not port_open(settings.thrift_port, host):
        raise CinelakeError(
            f"the Spark Thrift server does not answer on {host}:{settings.thrift_port}: "
            "start it with `cinelake up`"
        )
    from pyhive.exc import Error as HiveError

    try:
        conn = connect(host, settings.thrift_port)
        with contextlib.closing(conn):
            cursor = conn.cursor()
            results = []
            for statement in statements:
                cursor.execute(statement)
                columns = [d[0].split(".")[-1] for d in cursor.description or []]
                results.append((columns, cursor.fetchall() if columns else []))
            return results
    except HiveError as exc:
        message = _spark_message(exc)
        if "MetaException" in message:  # the catalog's database, not the statement
            raise CinelakeError(
                f"Spark's catalog (the Hive metastore in MariaDB, port {settings.mysql_port}) "
                f"does not answer: {message}; see `cinelake status`"
            ) from None
        raise CinelakeError(f"Spark refused the statement: {message}") from None


def _spark_message(exc: Exception) -> str:
    """The message of a Thrift error: Spark's errorMessage, all of it on one line (Delta's
    messages span lines, e.g. "... is before the earliest version available to this" /
    "table (...)"), without the query plan or Java stack after it."""
    status = getattr(exc.args[0], "status", None) if exc.args else None
    return spark_message(getattr(status, "errorMessage", None) or str(exc)) or type(exc).__name__


def spark_message(text: str) -> str:
    """The message lines of a Spark error text, joined by spaces."""
    lines = []
    for line in text.strip().splitlines():
        if _NOT_MESSAGE.match(line):
            break
        lines.append(line.strip())
        if "SQLSTATE: " in line:  # Spark's own error classes end their message with it
            break
    message = " ".join(line for line in lines if line).removeprefix("Error running query: ")
    return _JAVA_CLASS.sub("", message)


def print_table(columns: Sequence[str], rows: Sequence[tuple], out: TextIO = sys.stdout) -> None:
    """Aligned columns, a rule under the header, the row count at the end."""

    def cell(value: object) -> str:
        text = "NULL" if value is None else str(value)
        return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def print_csv(columns: Sequence[str], rows: Sequence[tuple], out: TextIO = sys.stdout) -> None:
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
