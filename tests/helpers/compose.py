"""docker-compose.yml run as a project of the test suite's own engine (docker_engine.py): its
commands, its containers' logs and exit statuses, and its services through the ports it
publishes on 127.0.0.1 (never a container's address)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from pyhive import hive

from tests.helpers.docker_engine import Engine
from tests.helpers.stack import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"


@dataclass
class ComposeProject:
    engine: Engine
    env_file: Path
    name: str
    # compose files laid over docker-compose.yml (`-f` each, in order): the test's own changes
    overrides: tuple[Path, ...] = ()
    _ids: dict[str, str] = field(default_factory=dict)

    def _argv(self) -> list[str]:
        files = [a for f in (COMPOSE_FILE, *self.overrides) for a in ("-f", str(f))]
        return ["docker-compose", *files, "--env-file", str(self.env_file), "-p", self.name]

    def compose(self, *args: str, timeout: float = 600, check: bool = True):
        """Debian's docker-compose 1.29 (the older of the two Compose the file supports)."""
        return self.engine.run(*self._argv(), *args, timeout=timeout, check=check, cwd=PROJECT_ROOT)

    def compose_in_background(self, *args: str) -> subprocess.Popen:
        """A compose command left running (stdout and stderr together, as text)."""
        return subprocess.Popen(
            [*self._argv(), *args],
            env=self.engine.env, cwd=PROJECT_ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip

    @property
    def settings(self) -> dict[str, str]:
        lines = self.env_file.read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def port(self, variable: str) -> int:
        return int(self.settings[variable])

    def container(self, service: str) -> str:
        """The container's id (`docker-compose ps` starts a Python: asked once per service)."""
        if service not in self._ids or not self._ids[service]:
            self._ids[service] = self.compose("ps", "-q", service).stdout.strip()
        return self._ids[service]

    def forget_containers(self) -> None:
        """After `down`: the next `up` makes new containers."""
        self._ids.clear()

    def logs(self, service: str) -> str:
        return self.engine.run("docker", "logs", self.container(service), check=False).stdout

    def state(self, service: str) -> dict:
        found = self.engine.run("docker", "inspect", self.container(service)).stdout
        return json.loads(found)[0]["State"]

    def wait_exit(self, service: str, timeout_s: float) -> int:
        """The exit status of a one-shot service, once it has ended."""
        return int(
            self.engine.run("docker", "wait", self.container(service), timeout=timeout_s).stdout
        )

    def thrift_rows(self, sql: str) -> list[tuple]:
        port = self.port("CINELAKE_THRIFT_PORT")
        with contextlib.closing(hive.connect(host="127.0.0.1", port=port)) as conn:
            cursor = conn.cursor()
            cursor.execute(sql)
            return cursor.fetchall()

    def get(self, port_variable: str, path: str) -> tuple[int, bytes]:
        url = f"http://127.0.0.1:{self.port(port_variable)}{path}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()

    def get_json(self, port_variable: str, path: str):
        return json.loads(self.get(port_variable, path)[1])


def wait_until(predicate, timeout_s: float, what: str, every_s: float = 1.0):
    """Poll `predicate` until it returns something true; fail naming `what` on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if found := predicate():
                return found
        time.sleep(every_s)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")
