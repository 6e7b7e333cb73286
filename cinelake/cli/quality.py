"""`cinelake quality`: the data-health gate over gold.ops_data_quality_daily."""

from __future__ import annotations

import argparse

from cinelake.cli import arguments
from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "quality",
        help="the data-health gate: fail (exit 1, alert) when a source table set aside more "
        "than CINELAKE_REJECT_RATE_MAX of its rows",
        description="Read gold.ops_data_quality_daily (after dbt build) for the newest load "
        "day: per source table, rows read, rejected at ingestion and quarantined in silver. A "
        "table whose rejected + quarantined share is above CINELAKE_REJECT_RATE_MAX, or with "
        "every row set aside, fails the gate and posts the alert to CINELAKE_ALERT_WEBHOOK.",
    )
    parser.add_argument(
        "--date", type=arguments.date, default=None, help="the load day, YYYY-MM-DD"
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import quality

    return quality.check(settings, args.date)
