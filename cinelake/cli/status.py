"""`cinelake status`: what runs where, and whether it answers."""

from __future__ import annotations

import argparse

from cinelake.config import Settings
from cinelake.stack import spark_cluster
from cinelake.stack.services import SERVICES

EXIT_STATUS_DOWN = 3


def add(commands: argparse._SubParsersAction) -> None:
    commands.add_parser("status", help="show what runs where").set_defaults(func=run)


def run(settings: Settings, _args: argparse.Namespace) -> int:
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
