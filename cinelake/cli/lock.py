"""`cinelake lock NAME -- COMMAND`: run a command while holding a named lock of the home."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cinelake import runlock
from cinelake.config import Settings
from cinelake.errors import EXIT_FAILURE, CinelakeError, UsageError


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "lock",
        help="run a command while holding a named lock of CINELAKE_HOME (scripts/pipeline.sh "
        "holds daily-run)",
        description="Take the lock NAME of CINELAKE_HOME, then run COMMAND (exec'd: same pid, "
        "its exit status). Another holder: wait up to CINELAKE_LOCK_WAIT_S seconds, then exit "
        "75 with one line naming it. The lock is released when COMMAND ends, however it ends.",
    )
    parser.add_argument("name", help="the lock's name, e.g. daily-run (`ingest` is ingestion's)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG...]")
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise UsageError("lock: no command to run (cinelake lock NAME -- COMMAND [ARG...])")
    return _exec_locked(settings, (args.name,), command, args.inherited_umask)


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
