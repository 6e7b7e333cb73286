"""The `cinelake` command line: local services today; ingestion and docs join later.

Problems the user can fix (a missing Java, a taken port, a service that will not start) are
printed as one `cinelake: error: ...` message with exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from ingestion.config import Settings, load_settings
from ingestion.services import SERVICES, ServiceError

EXIT_USER_ERROR = 1


def cmd_up(settings: Settings, _args: argparse.Namespace) -> int:
    # Check every prerequisite first, so a missing Java does not leave MariaDB half-started.
    for service in SERVICES:
        service.preflight()
    for service in SERVICES:
        began = time.monotonic()
        pid, started = service.start(settings)
        what = f"started in {time.monotonic() - began:.1f}s" if started else "already running"
        print(f"{service.name:<13} {what:<20} pid {pid:<8} {service.address(settings)}")
    print(f"state and logs under {settings.home}")
    return 0


def cmd_down(settings: Settings, _args: argparse.Namespace) -> int:
    for service in reversed(SERVICES):
        pid = service.daemon(settings).stop()
        print(f"{service.name:<13} " + (f"stopped (pid {pid})" if pid else "was not running"))
    return 0


def cmd_status(settings: Settings, _args: argparse.Namespace) -> int:
    """Exit 0 when every service runs, 3 otherwise (like `systemctl status`)."""
    all_running = True
    for service in SERVICES:
        daemon = service.daemon(settings)
        pid = daemon.running_pid()
        all_running &= pid is not None
        state = f"running  pid {pid:<8}" if pid else "stopped" + " " * 15
        print(f"{service.name:<13} {state} {service.address(settings):<36} log {daemon.log_file}")
    return 0 if all_running else 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cinelake",
        description="Cinelake: movie and streaming analytics lakehouse (dlt + dbt on Spark).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "up", help="start MariaDB and the Spark Thrift server (no-op for what already runs)"
    ).set_defaults(func=cmd_up)
    commands.add_parser(
        "down", help="stop the services that `up` started, and wait for them to exit"
    ).set_defaults(func=cmd_down)
    commands.add_parser("status", help="show what runs where").set_defaults(func=cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings()
        return args.func(settings, args)
    except (ServiceError, ValueError) as exc:
        print(f"cinelake: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("cinelake: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
