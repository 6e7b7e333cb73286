"""The `cinelake` command line: local services, demo sources, ingestion, the docs site.

Every error is one `cinelake: error: ...` line, never a traceback (`-v` shows it): exit 2 for a
wrong command line or setting (`cinelake.errors.UsageError`), 1 for a failure (a missing Java,
a taken port, a source that failed), 3 from `status` when a service does not answer, 75 when
another run holds the lock this one needs (`cinelake.errors.Locked`), 130 on Ctrl-C.
Everything the process writes is owner-only (umask 077), and every log line and error text goes
through the redaction step first; an error text is one line of printable characters
(`cinelake.errors.printable`).

Each command is a module here: its parser (`add`) beside its handler (`run`). A handler imports
what it runs when it runs, so that `cinelake --help` and a wrong command line answer at once.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import sys
from collections.abc import Sequence

import pymysql

from cinelake.cli import (
    build,
    demo_data,
    dev,
    docs,
    down,
    ingest,
    lock,
    maintain,
    ops,
    quality,
    sources_yml,
    sql,
    status,
    up,
)
from cinelake.config import Settings, dlt_telemetry_off, load_settings
from cinelake.errors import (
    EXIT_FAILURE,
    EXIT_LOCKED,
    EXIT_USAGE,
    CinelakeError,
    Locked,
    UsageError,
    printable,
)
from cinelake.ingest import redaction

EXIT_INTERRUPTED = 130
OWNER_ONLY_UMASK = 0o077
# In the order `cinelake --help` lists them.
COMMANDS = (
    up, down, status, demo_data, ingest, lock, build, dev, sources_yml, sql, quality, maintain,
    docs, ops,
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cinelake",
        description="Cinelake: movie and streaming analytics lakehouse (dlt + dbt on Spark).",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="debug logging; tracebacks of errors"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.epilog = (
        "Settings come from environment variables (docs/configuration.md). Exit status: 0 ok, "
        "1 failure, 2 wrong command line or setting, 3 `status` with a service down, 75 "
        "another run holds the lock (CINELAKE_LOCK_WAIT_S)."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return parser


def _version() -> str:
    try:
        return importlib.metadata.version("cinelake")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _private_home(settings: Settings) -> None:
    """CINELAKE_HOME holds raw PII (bronze), passwords' hashes and logs: owner-only."""
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.home.chmod(0o700)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and getattr(args, "func", None) is build.run:
        args.dbt_args = [*unknown, *args.dbt_args]  # `cinelake build --select x`: dbt's
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return 0
    # Inherited by every service `up` starts; `lock` gives its command the caller's back.
    args.inherited_umask = os.umask(OWNER_ONLY_UMASK)
    redaction.install_log_redaction()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("pyhive", "dlt"):  # their INFO lines drown ours
        logging.getLogger(chatty).setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    dlt_telemetry_off()
    try:
        settings = load_settings()
        redaction.configure(settings.secret_values())
        _private_home(settings)
        return args.func(settings, args)
    except UsageError as exc:
        return _fail(f"{exc}", EXIT_USAGE)
    except Locked as exc:
        return _fail(redaction.redact(str(exc)), EXIT_LOCKED)
    except CinelakeError as exc:
        return _fail(redaction.redact(str(exc)), EXIT_FAILURE)
    except pymysql.err.MySQLError as exc:
        if args.verbose:
            raise
        return _fail(f"MySQL said {redaction.redact(str(exc.args))} (-v for details)", EXIT_FAILURE)
    except KeyboardInterrupt:
        print("cinelake: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the promise: one line, never a traceback
        if args.verbose:
            raise
        what = redaction.redact(f"{type(exc).__name__}: {exc}")
        return _fail(f"{what} (run with -v for the traceback)", EXIT_FAILURE)


def _fail(message: str, status: int) -> int:
    print(f"cinelake: error: {printable(message)}", file=sys.stderr)
    return status
