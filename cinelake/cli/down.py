"""`cinelake down`: stop what `up` started, in the reverse order."""

from __future__ import annotations

import argparse

from cinelake.config import Settings
from cinelake.stack.services import SERVICES


def add(commands: argparse._SubParsersAction) -> None:
    commands.add_parser(
        "down", help="stop the services that `up` started, and wait for them to exit"
    ).set_defaults(func=run)


def run(settings: Settings, _args: argparse.Namespace) -> int:
    for service in reversed(SERVICES):
        for daemon in reversed(service.daemons(settings)):
            pid = daemon.stop()
            print(f"{daemon.name:<15} " + (f"stopped (pid {pid})" if pid else "was not running"))
    return 0
