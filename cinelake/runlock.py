"""One run at a time: named locks per CINELAKE_HOME that die with their holder.

`cinelake ingest` holds `ingest` for its whole run: the dlt pipeline state and load packages
under the home must never be shared by two live runs (the second fails on a package the first
moved, the first finishes the second's packages, and bronze holds the same file twice).
`cinelake build` (dbt build) holds `build` and `ingest`: two builds writing one warehouse fail
each other halfway (DELTA_METADATA_CHANGED), and a build that reads bronze while a landing
commits reads its tables at different moments (one table with the day, the next without).
scripts/pipeline.sh holds `daily-run` for its whole run (`cinelake lock daily-run -- ...`), so
two scheduled runs never interleave; the names differ so that a daily run's own
`cinelake ingest` does not wait on its own run.

The lock is the kernel's: flock(2) on `<home>/run/<name>.lock`, released when the last process
holding the open file ends, however it ends (a crash, SIGKILL, a reboot), so a stale lock
cannot exist. The file's content only names the holder (pid, command, start, host) for whoever
finds the lock taken; it outlives the lock and is overwritten by the next holder.

A second run waits up to CINELAKE_LOCK_WAIT_S seconds (saying for whom), then refuses with one
line naming the holder (`Locked`, exit 75).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from cinelake.errors import Locked, UsageError

log = logging.getLogger(__name__)

NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
# The locks of the project's own runs. A run that needs several takes them in this order
# (the daily run, then a build, then ingestion), so two runs never wait on each other.
DAILY_RUN, BUILD, INGEST = "daily-run", "build", "ingest"
POLL_S = 0.2  # how often a waiting run tries again: a lock is held for minutes, not moments


@dataclass(frozen=True)
class Holder:
    """Who took a lock: written into the lock file, read by whoever finds the lock taken."""

    pid: int
    command: str
    started_at: str
    host: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} (`{self.command}`, started {self.started_at})"


@dataclass
class Lock:
    """A lock held by this process (and by the children it passes `fd` to)."""

    name: str
    path: Path
    fd: int

    def release(self) -> None:
        os.close(self.fd)  # closing the last descriptor of the open file releases the flock


def path_of(run_dir: Path, name: str) -> Path:
    if not NAME.match(name):
        raise UsageError(
            f"lock name {name!r}: lower-case letters, digits and -, starting with a letter"
        )
    return run_dir / f"{name}.lock"


def holder(path: Path) -> Holder | None:
    """The holder the lock file names (None: none yet, or one still writing its name)."""
    try:
        return Holder(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def acquire(run_dir: Path, name: str, wait_s: float, command: str | None = None) -> Lock:
    """Take the lock `name` of `run_dir`, waiting up to `wait_s` seconds for its holder;
    `Locked` names the holder when it is still taken then."""
    path = path_of(run_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    deadline = time.monotonic() + wait_s
    waiting = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            found = holder(path)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise Locked(_refusal(name, run_dir, found)) from None
            if not waiting:
                waiting = True
                log.warning("waiting up to %g s for the %s lock of %s, held by %s",
                            wait_s, name, run_dir.parent, _who(found))  # fmt: skip
            time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))
    me = Holder(
        pid=os.getpid(),
        command=command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        host=socket.gethostname(),
    )
    body = json.dumps(asdict(me)).encode()
    # Written in place, then cut to length: a reader sees a whole name or an unreadable one
    # (reported as unknown), never an empty file for long.
    os.pwrite(fd, body, 0)
    os.ftruncate(fd, len(body))
    return Lock(name, path, fd)


@contextmanager
def held(run_dir: Path, name: str, wait_s: float, command: str | None = None) -> Iterator[Lock]:
    """`acquire` for the duration of a block."""
    lock = acquire(run_dir, name, wait_s, command)
    try:
        yield lock
    finally:
        lock.release()


def _who(found: Holder | None) -> str:
    return found.describe() if found else "a process that has not written its name yet"


def _refusal(name: str, run_dir: Path, found: Holder | None) -> str:
    return (
        f"another run holds the {name} lock of {run_dir.parent}: {_who(found)}; try again "
        "when it has finished, or set CINELAKE_LOCK_WAIT_S to wait for it"
    )
