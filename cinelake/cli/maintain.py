"""`cinelake maintain`: OPTIMIZE and VACUUM the Delta tables of silver and gold."""

from __future__ import annotations

import argparse

from cinelake.cli import arguments
from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "maintain",
        help="OPTIMIZE and VACUUM every Delta table of silver and gold (run it between builds)",
        description="Compact each table's small files (OPTIMIZE), then delete the files that no "
        "version younger than the retention needs (VACUUM RETAIN). Time travel reaches back as "
        "far as the retention, no further. Default retention: CINELAKE_VACUUM_RETAIN_HOURS "
        "(168, Delta's safe minimum).",
    )
    parser.add_argument(
        "tables",
        nargs="*",
        metavar="SCHEMA.TABLE",
        help="only these tables (default: every Delta table of silver and gold)",
    )
    parser.add_argument(
        "--retain-hours",
        type=arguments.setting_int("vacuum_retain_hours", "a number of hours"),
        default=None,
        help="history to keep, in hours (default: CINELAKE_VACUUM_RETAIN_HOURS or 168)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="allow a retention below 168 hours (it can break running queries and time travel)",
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import maintenance

    settings = arguments.with_flags(settings, vacuum_retain_hours=args.retain_hours)
    hours = settings.vacuum_retain_hours
    for done in maintenance.maintain(settings, hours, args.force, tuple(args.tables)):
        print(
            f"{done.table:<45} optimize: {done.files_removed:>4} files into {done.files_added:>3}"
            f"  vacuum: ok  {done.seconds:6.1f}s",
            flush=True,
        )
    return 0
