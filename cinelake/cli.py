"""The `cinelake` command line: local services, demo sources, ingestion, the docs site.

Every error is one `cinelake: error: ...` line, never a traceback (`-v` shows it): exit 2 for a
wrong command line or setting (`cinelake.errors.UsageError`), 1 for a failure (a missing Java,
a taken port, a source that failed), 3 from `status` when a service does not answer, 75 when
another run holds the lock this one needs (`cinelake.errors.Locked`), 130 on Ctrl-C.
Everything the process writes is owner-only (umask 077), and every log line and error text goes
through the redaction step first; an error text is one line of printable characters
(`cinelake.errors.printable`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pymysql

from cinelake import runlock
from cinelake.config import PROJECT_ROOT, Settings, load_settings
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
from cinelake.stack import spark_cluster
from cinelake.stack.services import SERVICES

EXIT_STATUS_DOWN = 3
EXIT_INTERRUPTED = 130
OWNER_ONLY_UMASK = 0o077


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def _utc_time(text: str) -> dt.datetime:
    """A time in UTC (naive, as the databases' times are; an offset is converted), in the past."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DDTHH:MM:SS time: {text!r}") from exc
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if value > dt.datetime.now(dt.UTC).replace(tzinfo=None):
        raise argparse.ArgumentTypeError(f"{text!r} is in the future: nothing to re-read there")
    return value


def _bounded_int(low: int, high: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}, {low}-{high}, not {text!r}")
        return value

    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"a number above 0 and at most 1000, not {text!r}")
    return value


def cmd_up(settings: Settings, args: argparse.Namespace) -> int:
    if args.cluster is not None:
        settings = settings.model_copy(update={"spark_workers": args.cluster})
    settings = spark_cluster.with_running_cluster(settings)
    # Check every prerequisite first, so a missing Java does not leave MariaDB half-started.
    for service in SERVICES:
        service.preflight(settings)
    for service in SERVICES:
        if not service.enabled(settings):
            print(f"{service.name:<15} not used: {service.disabled_reason}")
            continue
        began = time.monotonic()
        pid, started = service.start(settings)
        what = f"started in {time.monotonic() - began:.1f}s" if started else "already running"
        print(f"{service.name:<15} {what:<20} pid {pid:<8} {service.address(settings)}")
    print(f"state and logs under {settings.home}")
    return 0


def cmd_down(settings: Settings, _args: argparse.Namespace) -> int:
    for service in reversed(SERVICES):
        for daemon in reversed(service.daemons(settings)):
            pid = daemon.stop()
            print(f"{daemon.name:<15} " + (f"stopped (pid {pid})" if pid else "was not running"))
    return 0


def cmd_status(settings: Settings, _args: argparse.Namespace) -> int:
    """Exit 0 when every service in use runs and answers on its port, 3 otherwise (like
    `systemctl status`): a live pid whose port says nothing is not a running service."""
    settings = spark_cluster.with_running_cluster(settings)
    all_up = True
    for service in SERVICES:
        if not service.enabled(settings):
            print(f"{service.name:<15} not used: {service.disabled_reason}")
            continue
        pids = [daemon.running_pid() for daemon in service.daemons(settings)]
        answers = all(pids) and service.answers(settings)
        all_up &= bool(answers)
        for number, (daemon, pid) in enumerate(zip(service.daemons(settings), pids, strict=True)):
            if not pid:
                state = "stopped"
            elif number == 0 and not answers:
                state = f"NOT ANSWERING (pid {pid})"
            else:
                state = f"running (pid {pid})"
            where = service.address(settings) if number == 0 else ""
            print(f"{daemon.name:<15} {state:<26} {where:<36} log {daemon.log_file}")
    return 0 if all_up else EXIT_STATUS_DOWN


def cmd_demo_data(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.demo import generate

    if args.advance_day:
        entry = generate.advance_day(settings)
        print(f"day {entry['day']} ({entry['date']}) applied to the shop database")
        for verb in ("inserted", "updated"):
            for table, count in entry[verb].items():
                print(f"  {verb:<9} {table:<17} {count:>8}")
        return 0
    as_of = generate.default_as_of(settings) if args.as_of is None else args.as_of
    manifest = generate.generate(settings, args.scale, args.seed, as_of)
    for name, entry in manifest["files"].items():
        defects = sum(entry["defects"].values())
        print(
            f"{name:<12} {entry['data_lines']:>9} lines  {entry['titles']:>7} titles  "
            f"{defects:>6} injected defects  {entry['path']}"
        )
    tmdb = manifest["tmdb"]
    print(
        f"tmdb         {tmdb['movies']:>9} movies ({tmdb['shared_with_csv']} shared with CSV, "
        f"{tmdb['tmdb_only']} TMDB-only)"
    )
    for table, count in manifest["shop"]["tables"].items():
        print(f"shop.{table:<17} {count:>9} rows")
    print(f"manifest: {settings.demo_dir / 'manifest.json'} ({manifest['seconds']} s)")
    return 0


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.ingest import pipelines

    known = (*pipelines.SOURCES, *pipelines.databases(settings))
    if args.source != "all" and args.source not in known:
        raise UsageError(
            f"unknown source {args.source!r}: one of {', '.join(dict.fromkeys(known))}, all "
            f"(databases are configured in {settings.databases_file})"
        )
    sources = pipelines.SOURCES if args.source == "all" else (args.source,)
    # One ingestion per home at a time: the dlt state and packages are never shared.
    with runlock.held(settings.run_dir, runlock.INGEST, settings.lock_wait_s):
        report = pipelines.run(settings, sources, since=args.since)
    print(pipelines.summary(report))
    for source, error in report.errors.items():
        print(f"cinelake: error: {source}: {printable(error)}", file=sys.stderr)
    return EXIT_FAILURE if report.failed else 0


def cmd_lock(settings: Settings, args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise UsageError("lock: no command to run (cinelake lock NAME -- COMMAND [ARG...])")
    return _exec_locked(settings, (args.name,), command, args.inherited_umask)


def cmd_build(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import build

    dbt_args = args.dbt_args[1:] if args.dbt_args[:1] == ["--"] else args.dbt_args
    os.umask(args.inherited_umask)  # dbt's target/ and logs as the caller's umask makes them
    return build.run(settings, args.daily, args.since, dbt_args)


def cmd_dev(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import dev

    if args.once:
        return dev.once(settings, args.once, args.project_dir)
    return dev.watch(settings, args.project_dir)


def _exec_locked(settings: Settings, names: Sequence[str], command: list[str], umask: int) -> int:
    """Take the locks, in order, then become the command (exec: same pid, its exit status is
    ours). The locks' descriptors are handed down, so they last as long as the command and
    whatever it starts that keeps them open."""
    locks = []
    try:
        for name in names:
            lock = runlock.acquire(settings.run_dir, name, settings.lock_wait_s, " ".join(command))
            locks.append(lock)
            os.set_inheritable(lock.fd, True)
    except Exception:
        for lock in locks:
            lock.release()
        raise
    os.umask(umask)  # the command's files as the caller's umask makes them
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvp(command[0], command)
    except OSError as exc:
        for lock in locks:
            lock.release()
        raise CinelakeError(f"cannot run {command[0]!r}: {exc.strerror}") from None
    return EXIT_FAILURE  # not reached: execvp returns only by raising


def cmd_sources_yml(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.ingest import sources_yml

    try:
        path = sources_yml.write(settings.lake_url, args.source, force=args.force)
    except (FileExistsError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {path}: `dbt build` registers its tables in schema bronze")
    return 0


def cmd_sql(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.stack import sql_client

    columns, rows = sql_client.run(settings, args.statement)
    if columns:
        (sql_client.print_csv if args.csv else sql_client.print_table)(columns, rows)
    return 0


def cmd_quality(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import quality

    return quality.check(settings, args.date)


def cmd_maintain(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import maintenance

    for done in maintenance.maintain(settings, args.retain_hours, args.force, tuple(args.tables)):
        print(
            f"{done.table:<45} optimize: {done.files_removed:>4} files into {done.files_added:>3}"
            f"  vacuum: ok  {done.seconds:6.1f}s",
            flush=True,
        )
    return 0


def cmd_docs(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.stack import docs_site

    docs_site.serve(args.port if args.port is not None else settings.docs_port)
    return 0


def cmd_ops(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.ops import store

    if args.action == "record":
        recorded = store.record(settings)
        with_cost = sum(1 for row in recorded if row["spark_jobs"])
        print(
            f"ops: recorded {len(recorded)} nodes of the last dbt build ({with_cost} ran "
            "Spark jobs) into ops.dbt_node_runs and ops.dbt_node_costs"
        )
    elif args.action == "costliest":
        store.print_costliest(store.costliest(settings))
    else:
        for what in store.complete_docs(settings):
            print(f"ops: wrote {what}")
    return 0


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
    up = commands.add_parser(
        "up",
        help="start MariaDB, the Spark Thrift server and the TMDB stand-in (no-op for what "
        "already runs)",
    )
    up.add_argument(
        "--cluster",
        type=_bounded_int(1, 64, "a number of workers"),
        metavar="N",
        default=None,
        help="run Spark as a standalone cluster: a master and N workers (executors in their "
        "own JVMs) instead of local mode; default: CINELAKE_SPARK_WORKERS, else local mode",
    )
    up.set_defaults(func=cmd_up)
    commands.add_parser(
        "down", help="stop the services that `up` started, and wait for them to exit"
    ).set_defaults(func=cmd_down)
    commands.add_parser("status", help="show what runs where").set_defaults(func=cmd_status)
    demo = commands.add_parser(
        "demo-data",
        help="generate the demo sources (CSV files, shop database, TMDB stand-in data)",
        description="Generate movies.csv/series.csv, load the MySQL shop database and the "
        "TMDB stand-in's movies, deterministically for a seed; or apply one more day of "
        "shop activity with --advance-day. Needs `cinelake up`.",
    )
    demo.add_argument(
        "--scale",
        type=_positive_float,
        default=1.0,
        help="scale factor: 1 = 25k titles, 300k viewing sessions (default 1)",
    )
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the demo's today, YYYY-MM-DD (default: CINELAKE_DEMO_AS_OF or today)",
    )
    demo.add_argument(
        "--advance-day",
        action="store_true",
        help="apply the next simulated day to the shop database",
    )
    demo.set_defaults(func=cmd_demo_data)
    ingest = commands.add_parser(
        "ingest",
        help="land the sources in bronze (Delta tables, partitioned by load date)",
        description="Run the dlt pipelines into <lake>/bronze. Re-runs never duplicate rows: "
        "CSV content already loaded is skipped, TMDB replaces the day's snapshot, the shop "
        "database is read incrementally.",
    )
    ingest.add_argument(
        "source",
        nargs="?",
        default="all",
        help="csv, tmdb, shop, a database of databases.yml, or all (csv, tmdb and shop; default)",
    )
    ingest.add_argument(
        "--since",
        type=_utc_time,
        default=None,
        metavar="YYYY-MM-DDTHH:MM:SS",
        help="the databases re-read their cursor tables back to this UTC time (rows committed "
        "later than the lag window reaches; the run report says where each window began)",
    )
    ingest.set_defaults(func=cmd_ingest)
    lock = commands.add_parser(
        "lock",
        help="run a command while holding a named lock of CINELAKE_HOME (scripts/pipeline.sh "
        "holds daily-run)",
        description="Take the lock NAME of CINELAKE_HOME, then run COMMAND (exec'd: same pid, "
        "its exit status). Another holder: wait up to CINELAKE_LOCK_WAIT_S seconds, then exit "
        "75 with one line naming it. The lock is released when COMMAND ends, however it ends.",
    )
    lock.add_argument("name", help="the lock's name, e.g. daily-run (`ingest` is ingestion's)")
    lock.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG...]")
    lock.set_defaults(func=cmd_lock)
    build = commands.add_parser(
        "build",
        help="dbt source freshness + dbt build, one at a time and never during a landing; "
        "--daily: the daily run's build (what changed since the last one)",
        description="Run `dbt source freshness`, then `dbt build [DBT_ARGS...]`, holding the "
        "locks `build` and `ingest` of CINELAKE_HOME (a second build or a `cinelake ingest` "
        "started meanwhile waits up to CINELAKE_LOCK_WAIT_S seconds, then exits 75 naming "
        "this one). A successful build's manifest, freshness and start time are kept in "
        "<home>/dbt-state. With --daily, and such a state kept: selectors.yml's `daily` "
        "against it, row tests of the big incremental models on the rows landed since it "
        "started. Arguments it does not know go to dbt build. Exit status: dbt's.",
    )
    build.add_argument(
        "--daily", action="store_true", help="the daily selection against the kept state"
    )
    build.add_argument(
        "--since",
        default=None,
        metavar="'YYYY-MM-DD HH:MM:SS'",
        help="with --daily: row tests on the rows loaded since this UTC time instead of the "
        "kept build's start",
    )
    build.add_argument("dbt_args", nargs=argparse.REMAINDER, help="[--] dbt build's arguments")
    build.set_defaults(func=cmd_build)
    dev = commands.add_parser(
        "dev",
        help="the edit loop: dbt kept warm, each save builds what it changed, with its tests",
        description="Watch models/, macros/, seeds/ and the YAML; on each save build, with "
        "their tests, the nodes the save modified since the last green build (dbt's "
        "state:modified, parsed warm in this process), then print the failing tests' rows and "
        "the first rows of each rebuilt model. Takes no lock; bronze is registered when a "
        "table appears. --once SELECTOR: build that selection through the running loop (or "
        "with plain dbt when none runs). Ctrl-C stops.",
    )
    dev.add_argument(
        "--once",
        metavar="SELECTOR",
        default=None,
        help="build this dbt selection (a model name, path:FILE, ...) and exit",
    )
    dev.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_ROOT,
        help="the dbt project to watch (default: this checkout's)",
    )
    dev.set_defaults(func=cmd_dev)
    sources_yml = commands.add_parser(
        "sources-yml",
        help="write models/silver/<name>/_<name>__sources.yml from what a database landed",
        description="Read the schema of the Delta tables `cinelake ingest <name>` landed in "
        "bronze and write the dbt sources YAML (tables, columns, Spark types) that `dbt build` "
        "registers in schema bronze.",
    )
    sources_yml.add_argument("source", help="a database of databases.yml (or shop)")
    sources_yml.add_argument("--force", action="store_true", help="replace an existing file")
    sources_yml.set_defaults(func=cmd_sources_yml)
    sql = commands.add_parser(
        "sql",
        help="run one SQL statement through the Spark Thrift server and print its rows",
        description="Query bronze, silver and gold from a terminal, e.g. cinelake sql "
        '"select primary_title, title_type from gold.dim_title limit 10"',
    )
    sql.add_argument("statement", help="one Spark SQL statement")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.set_defaults(func=cmd_sql)
    health = commands.add_parser(
        "quality",
        help="the data-health gate: fail (exit 1, alert) when a source table set aside more "
        "than CINELAKE_REJECT_RATE_MAX of its rows",
        description="Read gold.ops_data_quality_daily (after dbt build) for the newest load "
        "day: per source table, rows read, rejected at ingestion and quarantined in silver. A "
        "table whose rejected + quarantined share is above CINELAKE_REJECT_RATE_MAX, or with "
        "every row set aside, fails the gate and posts the alert to CINELAKE_ALERT_WEBHOOK.",
    )
    health.add_argument("--date", type=_date, default=None, help="the load day, YYYY-MM-DD")
    health.set_defaults(func=cmd_quality)
    maintain = commands.add_parser(
        "maintain",
        help="OPTIMIZE and VACUUM every Delta table of silver and gold (run it between builds)",
        description="Compact each table's small files (OPTIMIZE), then delete the files that no "
        "version younger than the retention needs (VACUUM RETAIN). Time travel reaches back as "
        "far as the retention, no further. Default retention: CINELAKE_VACUUM_RETAIN_HOURS "
        "(168, Delta's safe minimum).",
    )
    maintain.add_argument(
        "tables",
        nargs="*",
        metavar="SCHEMA.TABLE",
        help="only these tables (default: every Delta table of silver and gold)",
    )
    maintain.add_argument(
        "--retain-hours",
        type=_bounded_int(0, 87600, "a number of hours"),
        default=None,
        help="history to keep, in hours (default: CINELAKE_VACUUM_RETAIN_HOURS or 168)",
    )
    maintain.add_argument(
        "--force",
        action="store_true",
        help="allow a retention below 168 hours (it can break running queries and time travel)",
    )
    maintain.set_defaults(func=cmd_maintain)
    docs = commands.add_parser(
        "docs",
        help="serve the generated dbt docs site (after dbt docs generate) on 127.0.0.1, or "
        "on CINELAKE_BIND_HOST",
    )
    docs.add_argument(
        "--port",
        type=_bounded_int(1, 65535, "a TCP port"),
        default=None,
        help="default: CINELAKE_DOCS_PORT or 8580",
    )
    docs.set_defaults(func=cmd_docs)
    ops = commands.add_parser(
        "ops",
        help="the run history of dbt builds: record the last one, show its costliest nodes, "
        "complete the docs site (row counts, overview pictures)",
        description="record (after dbt build): the row counts of the tables built, the "
        "run results and the Spark cost of every node into ops.dbt_node_runs and "
        "ops.dbt_node_costs; costliest: those of the newest "
        "recorded build; docs (after dbt docs generate): the row counts of the tables into "
        "catalog.json and the star schema and pipeline health SVGs of the docs overview, into "
        "dbt's target folder.",
    )
    ops.add_argument("action", choices=("record", "costliest", "docs"))
    ops.set_defaults(func=cmd_ops)
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
    if unknown and getattr(args, "func", None) is cmd_build:
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


if __name__ == "__main__":
    sys.exit(main())
