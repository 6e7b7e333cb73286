"""A Docker engine of the test suite's own, and the compose project it runs.

The engine is Debian's `dockerd` (docker.io, scripts/test.sh installs it), started as root with
its own data root, exec root and socket, without a default bridge or iptables rules (nothing
of the host's network is touched; compose's own network gives the containers their DNS), and
stopped at the end. Its data root is kept between runs, under ~/.cache/cinelake/docker
(CINELAKE_DOCKER_CACHE): the Debian base and the image's layers are reused, so a warm run
rebuilds only what changed (the project's code, the last layer). A fresh machine pays
debootstrap and the whole build once. One test session at a time uses a data root (a lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE = Path.home() / ".cache" / "cinelake" / "docker"
BASE_IMAGE = "debian:bookworm-slim"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
START_TIMEOUT_S = 60


class EngineUnavailable(Exception):
    """No engine can run here (not root, no dockerd): the reason, in one line."""


@dataclass
class Engine:
    """A running dockerd and the environment that points the docker CLIs at it."""

    root: Path
    env: dict[str, str]

    def run(self, *argv: str, timeout: float = 3600, check: bool = True, **kwargs):
        result = subprocess.run(
            list(argv), env=self.env, capture_output=True, text=True, timeout=timeout, **kwargs
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(argv)} exited {result.returncode}\n--- stdout\n"
                f"{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
            )
        return result

    def has_image(self, name: str) -> bool:
        return self.run("docker", "image", "inspect", name, check=False).returncode == 0


def unavailable_reason() -> str | None:
    """Why no engine can be started here, or None."""
    if os.geteuid() != 0:
        return "not root (dockerd needs root)"
    for binary in ("dockerd", "docker", "docker-compose"):
        if shutil.which(binary) is None:
            return f"no `{binary}` (scripts/test.sh installs Debian's docker.io and docker-compose)"
    return None


@contextlib.contextmanager
def own_engine(cache: Path = DEFAULT_CACHE) -> Iterator[Engine]:
    """dockerd on its own socket and data root under `cache`, stopped at the end."""
    reason = unavailable_reason()
    if reason:
        raise EngineUnavailable(reason)
    cache.mkdir(parents=True, exist_ok=True)
    lock = (cache / "lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise EngineUnavailable(f"another test session uses the engine of {cache}") from None
    socket_path, pid_file = cache / "docker.sock", cache / "dockerd.pid"
    _stop_leftover(pid_file)  # of a session that died without stopping it
    log = (cache / "dockerd.log").open("ab")
    daemon = subprocess.Popen(
        ["dockerd", "--bridge=none", "--iptables=false", "--ip-masq=false",
         f"--data-root={cache / 'data'}", f"--exec-root={cache / 'exec'}",
         f"--host=unix://{socket_path}", f"--pidfile={pid_file}"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    env = {
        **os.environ,
        "DOCKER_HOST": f"unix://{socket_path}",
        # The v1 compose and a newer docker CLI, against dockerd 20.10: the legacy builder
        # (BuildKit's CLI, buildx, is not installed) through docker-py.
        "DOCKER_BUILDKIT": "0",
        "COMPOSE_DOCKER_CLI_BUILD": "0",
    }
    engine = Engine(root=cache, env=env)
    try:
        _wait_ready(engine, daemon, cache / "dockerd.log")
        yield engine
    finally:
        _stop(daemon)
        log.close()
        lock.close()


def _wait_ready(engine: Engine, daemon: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            break
        if engine.run("docker", "version", check=False, timeout=10).returncode == 0:
            return
        time.sleep(0.5)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    raise RuntimeError(
        f"dockerd did not start (exit {daemon.poll()}); last lines of {log}:\n{tail}"
    )


def _stop(daemon: subprocess.Popen) -> None:
    """SIGTERM (dockerd stops its containerd and containers), SIGKILL after a minute."""
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()


def _stop_leftover(pid_file: Path) -> None:
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"dockerd" in cmdline and str(pid_file).encode() in cmdline:
        os.kill(pid, signal.SIGTERM)
        for _ in range(600):
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.1)


def ensure_base_image(engine: Engine) -> str:
    """debian:bookworm-slim: pulled where a registry answers, else made by debootstrap
    (Debian's minimal base, about 75 s) and imported. Returns how it was had."""
    if engine.has_image(BASE_IMAGE):
        return "cached"
    if engine.run("docker", "pull", BASE_IMAGE, check=False, timeout=120).returncode == 0:
        return "pulled"
    if shutil.which("debootstrap") is None:
        raise AssertionError("no debootstrap to make the Debian base (scripts/test.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="cinelake-rootfs-") as rootfs:
        engine.run("debootstrap", "--variant=minbase", "bookworm", rootfs, DEBIAN_MIRROR)
        tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
        engine.run("docker", "import", "-", BASE_IMAGE, stdin=tar.stdout)
        tar.wait()
    return "debootstrap"
