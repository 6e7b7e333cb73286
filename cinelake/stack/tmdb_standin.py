"""The local TMDB stand-in as a service of `cinelake up` (only when TMDB_API_KEY is unset)."""

from __future__ import annotations

import json
import sys
import urllib.request

from cinelake.config import LOOPBACK, PROJECT_ROOT, Settings
from cinelake.stack.process import Daemon, Launch

NAME = "tmdb-standin"
MODULE = "cinelake.demo.tmdb_server"


def enabled(settings: Settings) -> bool:
    """With a real TMDB token, ingestion calls the real API and no stand-in runs."""
    return not settings.uses_real_tmdb


def daemon(settings: Settings) -> Daemon:
    return Daemon.of(settings, NAME, cmdline_marker=str(settings.demo_dir))


def preflight() -> None:
    """Pure Python: nothing to check."""


def healthy(settings: Settings) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url(settings)}/_cinelake/health", timeout=2) as resp:
            return json.load(resp).get("ok") is True
    except OSError:
        return False


def base_url(settings: Settings) -> str:
    return f"http://{LOOPBACK}:{settings.tmdb_port}"


def start(settings: Settings) -> tuple[int, bool]:
    """Start the stand-in unless ours already runs; return (pid, started_now)."""
    return daemon(settings).ensure_running(
        [(settings.tmdb_port, "the TMDB stand-in", "CINELAKE_TMDB_PORT")],
        lambda: _launch(settings),
        settings.start_timeout_s,
    )


def _launch(settings: Settings) -> Launch:
    settings.demo_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.executable,
        "-m",
        MODULE,
        "--port",
        str(settings.tmdb_port),
        "--demo-dir",
        str(settings.demo_dir),
    ]
    return Launch(argv, PROJECT_ROOT, lambda: healthy(settings))
