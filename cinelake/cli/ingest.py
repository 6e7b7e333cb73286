"""`cinelake ingest`: land the sources in bronze, holding the ingestion lock."""

from __future__ import annotations

import argparse
import sys

from cinelake import runlock
from cinelake.cli import arguments
from cinelake.config import Settings
from cinelake.errors import EXIT_FAILURE, UsageError, printable


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="land the sources in bronze (Delta tables, partitioned by load date)",
        description="Run the dlt pipelines into <lake>/bronze. Re-runs never duplicate rows: "
        "CSV content already loaded is skipped, TMDB replaces the day's snapshot, the shop "
        "database is read incrementally.",
    )
    parser.add_argument(
        "source",
        nargs="?",
        default="all",
        help="csv, tmdb, shop, a database of databases.yml, or all (csv, tmdb and shop; default)",
    )
    parser.add_argument(
        "--since",
        type=arguments.utc_time,
        default=None,
        metavar="YYYY-MM-DDTHH:MM:SS",
        help="the databases re-read their cursor tables back to this UTC time (rows committed "
        "later than the lag window reaches; the run report says where each window began)",
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.ingest import pipelines, plan, report

    known = (*plan.SOURCES, *plan.databases(settings))
    if args.source != "all" and args.source not in known:
        raise UsageError(
            f"unknown source {args.source!r}: one of {', '.join(dict.fromkeys(known))}, all "
            f"(databases are configured in {settings.databases_file})"
        )
    sources = plan.SOURCES if args.source == "all" else (args.source,)
    # One ingestion per home at a time: the dlt state and packages are never shared.
    with runlock.held(settings.run_dir, runlock.INGEST, settings.lock_wait_s):
        run_report = pipelines.run(settings, sources, since=args.since)
    print(report.summary(run_report))
    for source, error in run_report.errors.items():
        print(f"cinelake: error: {source}: {printable(error)}", file=sys.stderr)
    return EXIT_FAILURE if run_report.failed else 0
