"""Daemon bookkeeping shared by the local services: pid files, ports, logs, the one
idempotent start (`Daemon.ensure_running`: running? ports free? start, wait until ready),
stopping.

A service is "ours" only when its pid file names a live process whose command line still
carries the service's marker; a pid file that names a dead or foreign process is stale and
is removed, so `up` after a crash or a reboot just works and `down` never signals a process
that merely inherited a recycled pid.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cinelake.errors import CinelakeError

if TYPE_CHECKING:
    from cinelake.config import Settings

log = logging.getLogger(__name__)

LOG_TAIL_LINES = 30
EXEC_WAIT_S = 5.0  # at most, for a started child to show its own command line (Daemon.start)


class ServiceError(CinelakeError):
    """A local service cannot be started or reached; the message says why and what to do."""


@dataclass(frozen=True)
class Launch:
    """How a service is started. Made only when it does not run yet, so that what a start
    writes (a data directory, a config file, a start token) never touches a running one."""

    argv: Sequence[str]
    cwd: Path
    ready: Callable[[], bool]  # polled until it answers: the service serves
    env: dict[str, str] | None = None
    waiting_for: Callable[[], str] | None = None  # for a timeout's error: what ready() awaits


@dataclass(frozen=True)
class Daemon:
    """A background process started and owned by Cinelake."""

    name: str
    pid_file: Path
    log_file: Path
    cmdline_marker: str  # a string that must appear in /proc/<pid>/cmdline

    @classmethod
    def of(cls, settings: Settings, name: str, cmdline_marker: str) -> Daemon:
        """The daemon `name` of a stack: `<run_dir>/<name>.pid`, `<log_dir>/<name>.log`."""
        return cls(
            name=name,
            pid_file=settings.run_dir / f"{name}.pid",
            log_file=settings.log_dir / f"{name}.log",
            cmdline_marker=cmdline_marker,
        )

    def running_pid(self) -> int | None:
        """Pid of our live process, or None; removes a stale pid file."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            self.pid_file.unlink(missing_ok=True)
            return None
        if _is_alive(pid) and self.cmdline_marker in _cmdline(pid):
            return pid
        log.info("removing stale pid file %s (pid %s is not %s)", self.pid_file, pid, self.name)
        self.pid_file.unlink(missing_ok=True)
        return None

    def start(self, argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> int:
        """Start argv detached (own session), stdout/stderr appended to the log file."""
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as out:
            out.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {self.name}\n".encode())
            out.flush()
            proc = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives the CLI; its own process group for `down`
            )
        # Popen returns once the child's exec has begun; until the kernel has set up the new
        # program's arguments, /proc/<pid>/cmdline reads empty, and running_pid() right after
        # would take our pid for a stranger's and remove the pid file (seen under load).
        deadline = time.monotonic() + EXEC_WAIT_S
        while not _cmdline(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        self.pid_file.write_text(f"{proc.pid}\n")
        return proc.pid

    def ensure_running(
        self, ports: Sequence[tuple[int, str, str]], launch: Callable[[], Launch], timeout_s: float
    ) -> tuple[int, bool]:
        """The idempotent start of every service: ours already runs, or its ports (port, what
        needs it, the variable that sets it) are free, then it is launched and waited for until
        ready. Returns (pid, started now)."""
        pid = self.running_pid()
        if pid is not None:
            return pid, False
        for port, needed_by, variable in ports:
            ensure_port_free(port, needed_by, variable)
        how = launch()
        pid = self.start(how.argv, how.cwd, how.env)
        self.wait_ready(pid, how.ready, timeout_s, how.waiting_for)
        return pid, True

    def wait_ready(
        self,
        pid: int,
        probe: Callable[[], bool],
        timeout_s: float,
        waiting_for: Callable[[], str] | None = None,
    ) -> None:
        """Poll probe() until it succeeds; fail with the log tail on exit or timeout, and on
        timeout with what the probe waited for and last saw (waiting_for()), if it tells."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not _is_alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise ServiceError(
                    f"{self.name} exited during start-up; last lines of {self.log_file}:\n"
                    + self.log_tail()
                )
            if probe():
                return
            time.sleep(1)
        self.stop()
        waited = f"; it waited for {waiting_for()}" if waiting_for else ""
        raise ServiceError(
            f"{self.name} was not ready after {timeout_s:.0f}s{waited} (raise "
            f"CINELAKE_START_TIMEOUT if the machine is slow); last lines of {self.log_file}:\n"
            + self.log_tail()
        )

    def stop(self, timeout_s: float = 60) -> int | None:
        """SIGTERM our process group, wait for it to exit, SIGKILL if it will not."""
        pid = self.running_pid()
        if pid is None:
            return None
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while _is_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _is_alive(pid):
            log.warning(
                "%s (pid %d) ignored SIGTERM for %.0fs; killing it", self.name, pid, timeout_s
            )
            _signal_group(pid, signal.SIGKILL)
            while _is_alive(pid):
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return pid

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_file.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join("    " + line for line in text[-lines:])


def ensure_port_free(port: int, service: str, env_var: str, host: str = "127.0.0.1") -> None:
    """Fail clearly when another process already listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Connections of a just-stopped server linger in TIME_WAIT: they do not make the port
        # "in use" (the servers themselves bind with SO_REUSEADDR); a listener still does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ServiceError(
                f"port {port} on {host} (needed by {service}) is already in use by another "
                f"process: stop that process, or choose a free port with {env_var}=<port>"
            ) from exc


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) is not alive for our purposes.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal the process group we created at start (pgid == pid), or the pid alone."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass
