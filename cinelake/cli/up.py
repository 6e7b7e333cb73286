"""`cinelake up`: start the local services, each unless it already runs."""

from __future__ import annotations

import argparse
import time

from cinelake.cli import arguments
from cinelake.config import Settings
from cinelake.stack import spark_cluster
from cinelake.stack.services import SERVICES


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "up",
        help="start MariaDB, the Spark Thrift server and the TMDB stand-in (no-op for what "
        "already runs)",
    )
    parser.add_argument(
        "--cluster",
        # 0 workers is local mode, which no flag is needed for: the flag asks for a cluster.
        type=arguments.setting_int("spark_workers", "a number of workers", low=1),
        metavar="N",
        default=None,
        help="run Spark as a standalone cluster: a master and N workers (executors in their "
        "own JVMs) instead of local mode; default: CINELAKE_SPARK_WORKERS, else local mode",
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    settings = arguments.with_flags(settings, spark_workers=args.cluster)
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
