"""A Spark standalone cluster on this machine (`cinelake up --cluster N`), from the pip
`pyspark` jars: one master and N workers, each its own JVM bound to loopback. The Thrift
server then runs its executors on the workers, so tasks run outside the driver and shuffle
blocks travel between JVMs over the network, as on a real cluster.
"""

from __future__ import annotations

import functools
import json
import urllib.request
from pathlib import Path

from cinelake.config import LOOPBACK, Settings
from cinelake.stack.process import Daemon, Launch
from cinelake.stack.spark_runtime import spark_bin, spark_env

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
MASTER = "spark-master"
WORKER = "spark-worker"


def enabled(settings: Settings) -> bool:
    return settings.spark_workers > 0


def master_daemon(settings: Settings) -> Daemon:
    return Daemon.of(settings, MASTER, cmdline_marker=MASTER_CLASS)


def worker_daemon(settings: Settings, number: int) -> Daemon:
    return Daemon.of(settings, f"{WORKER}-{number}", cmdline_marker=WORKER_CLASS)


def daemons(settings: Settings) -> list[Daemon]:
    """Master, then the workers asked for and any other worker a pid file still names."""
    numbers = set(range(1, settings.spark_workers + 1))
    for pid_file in settings.run_dir.glob(f"{WORKER}-*.pid"):
        suffix = pid_file.stem.removeprefix(f"{WORKER}-")
        if suffix.isdigit():
            numbers.add(int(suffix))
    return [master_daemon(settings)] + [worker_daemon(settings, n) for n in sorted(numbers)]


def with_running_cluster(settings: Settings) -> Settings:
    """Settings that match what runs: a cluster started by `up --cluster N` stays in use
    for a later `up`, `status` or `down` that does not repeat the flag."""
    if settings.spark_workers > 0:
        return settings
    running = sum(1 for d in daemons(settings)[1:] if d.running_pid() is not None)
    return settings.with_overrides(spark_workers=running) if running else settings


def master_url(settings: Settings) -> str:
    return f"spark://{LOOPBACK}:{settings.spark_master_port}"


def master_ui_url(settings: Settings) -> str:
    return f"http://{LOOPBACK}:{settings.spark_master_ui_port}"


def master_state(settings: Settings) -> dict | None:
    """The master's own JSON status page (workers, apps), or None when it does not answer."""
    try:
        with urllib.request.urlopen(f"{master_ui_url(settings)}/json/", timeout=2) as resp:
            return json.load(resp)
    except (OSError, ValueError):
        return None


def alive_workers(settings: Settings) -> int:
    state = master_state(settings) or {}
    return sum(1 for worker in state.get("workers", []) if worker.get("state") == "ALIVE")


def master_command(settings: Settings) -> list[str]:
    return [
        spark_bin("spark-class"),
        MASTER_CLASS,
        "--host",
        LOOPBACK,
        "--port",
        str(settings.spark_master_port),
        "--webui-port",
        str(settings.spark_master_ui_port),
    ]


def worker_command(settings: Settings, number: int) -> list[str]:
    return [
        spark_bin("spark-class"),
        WORKER_CLASS,
        "--host",
        LOOPBACK,
        # Port 0: the worker's RPC and web UI ports are picked free by the OS, so N workers
        # (and a test suite's second cluster) never collide; the master's page links them.
        "--port",
        "0",
        "--webui-port",
        "0",
        "--cores",
        str(settings.spark_worker_cores),
        "--memory",
        settings.spark_worker_memory,
        "--work-dir",
        str(work_dir(settings, number)),
        master_url(settings),
    ]


def work_dir(settings: Settings, number: int) -> Path:
    """Executor stdout/stderr and scratch files of one worker."""
    return settings.spark_dir / "workers" / str(number)


def start(settings: Settings) -> tuple[int, bool]:
    """Start the master and N workers unless they run; return (master pid, started_now)."""
    env = spark_env(settings)
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    ports = [
        (settings.spark_master_port, "the Spark master", "CINELAKE_SPARK_MASTER_PORT"),
        (settings.spark_master_ui_port, "the Spark master UI", "CINELAKE_SPARK_MASTER_UI_PORT"),
    ]
    pid, started = master_daemon(settings).ensure_running(
        ports, functools.partial(_master_launch, settings, env), settings.start_timeout_s
    )
    for number in range(1, settings.spark_workers + 1):
        launch = functools.partial(_worker_launch, settings, number, env)
        _, worker_started = worker_daemon(settings, number).ensure_running(
            [], launch, settings.start_timeout_s
        )
        started |= worker_started
    return pid, started


def _master_launch(settings: Settings, env: dict[str, str]) -> Launch:
    return Launch(
        master_command(settings),
        settings.spark_dir,
        lambda: (master_state(settings) or {}).get("status") == "ALIVE",
        env,
    )


def _worker_launch(settings: Settings, number: int, env: dict[str, str]) -> Launch:
    work_dir(settings, number).mkdir(parents=True, exist_ok=True)
    # Ready means registered with the master, so the Thrift server gets its executors.
    expected = alive_workers(settings) + 1
    return Launch(
        worker_command(settings, number),
        settings.spark_dir,
        lambda: alive_workers(settings) >= expected,
        env,
    )


def address(settings: Settings) -> str:
    return (
        f"{master_url(settings)} ({settings.spark_workers} workers, UI {master_ui_url(settings)})"
    )
