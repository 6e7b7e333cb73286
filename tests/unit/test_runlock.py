"""The run locks (cinelake/runlock.py): a second holder refuses or waits naming the first, a
lock dies with its holder, `cinelake lock` holds one for the command it becomes, and
scripts/pipeline.sh refuses to run while another daily run holds `daily-run`."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cinelake import runlock
from cinelake.errors import EXIT_LOCKED, Locked, UsageError, printable

ROOT = Path(__file__).resolve().parents[2]
HOLD = (
    "import sys, time; from pathlib import Path; from cinelake import runlock; "
    "runlock.acquire(Path(sys.argv[1]), sys.argv[2], 0, 'cinelake ingest all'); "
    "print('held', flush=True); time.sleep(float(sys.argv[3]))"
)


def hold(run_dir: Path, name: str = "ingest", seconds: float = 60) -> subprocess.Popen:
    """Another process holding the lock `name` for `seconds` (it has it when this returns)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(run_dir), name, str(seconds)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen]:
    process = hold(tmp_path / "run")
    yield process
    process.kill()
    process.wait()


def test_a_second_run_refuses_at_once_naming_the_holder(tmp_path, holder):
    began = time.monotonic()
    with pytest.raises(Locked) as refused:
        runlock.acquire(tmp_path / "run", "ingest", 0)
    assert time.monotonic() - began < 1
    message = str(refused.value)
    assert f"the ingest lock of {tmp_path}: pid {holder.pid} on {socket.gethostname()}" in message
    assert "(`cinelake ingest all`, started 20" in message
    assert "CINELAKE_LOCK_WAIT_S" in message and "\n" not in message


def test_a_waiting_run_says_for_whom_then_refuses_when_the_wait_is_over(tmp_path, holder, caplog):
    began = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(Locked):
        runlock.acquire(tmp_path / "run", "ingest", 1)
    assert time.monotonic() - began >= 1
    assert f"waiting up to 1 s for the ingest lock of {tmp_path}, held by pid {holder.pid}" in (
        caplog.text
    )


def test_a_waiting_run_gets_the_lock_when_the_holder_ends(tmp_path):
    holder = hold(tmp_path / "run", seconds=1)
    with runlock.held(tmp_path / "run", "ingest", 30) as lock:
        assert holder.poll() == 0  # it ran to its end first
        assert runlock.holder(lock.path).pid == os.getpid()


def test_the_lock_dies_with_its_holder(tmp_path, holder):
    holder.kill()  # SIGKILL: no clean-up of any kind
    holder.wait()
    with runlock.held(tmp_path / "run", "ingest", 0, "cinelake ingest csv") as lock:
        found = runlock.holder(lock.path)
        assert (found.pid, found.command) == (os.getpid(), "cinelake ingest csv")


def test_locks_of_other_names_or_homes_are_independent(tmp_path, holder):
    with runlock.held(tmp_path / "run", "daily-run", 0), runlock.held(tmp_path / "b", "ingest", 0):
        pass
    with pytest.raises(UsageError):
        runlock.acquire(tmp_path / "run", "../ingest", 0)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CINELAKE_")}
    env.update(CINELAKE_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "cinelake.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_cinelake_lock_becomes_the_command_and_holds_the_lock_while_it_runs(tmp_path):
    nested = f"{sys.executable} -m cinelake.cli lock daily-run -- true"
    script = f'echo "pid $$"; {nested} 2>/dev/null; echo "nested $?"; exit 7'
    result = cli(tmp_path, "lock", "daily-run", "--", "sh", "-c", script)
    assert result.returncode == 7, result.stderr  # the command's own status
    pid = int(result.stdout.split()[1])  # the shell is the process that took the lock (exec)
    assert runlock.holder(tmp_path / "run" / "daily-run.lock").pid == pid
    assert f"nested {EXIT_LOCKED}" in result.stdout  # held for as long as the command ran
    assert cli(tmp_path, "lock", "daily-run", "--", "true").returncode == 0  # and then freed


def test_cinelake_lock_refuses_with_one_line_and_exit_75(tmp_path):
    holder = hold(tmp_path / "run", "daily-run")
    try:
        result = cli(tmp_path, "lock", "daily-run", "--", "true")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_LOCKED
    assert result.stderr.startswith("cinelake: error: another run holds the daily-run lock")
    assert result.stderr.count("\n") == 1 and f"pid {holder.pid}" in result.stderr


def test_a_second_daily_run_refuses_before_doing_anything(tmp_path):
    """scripts/pipeline.sh runs under `daily-run`: with it taken, it stops at its first line."""
    holder = hold(tmp_path / "run", "daily-run")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CINELAKE_")}
    env.update(CINELAKE_HOME=str(tmp_path), PYTHONPATH=str(ROOT),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")  # fmt: skip
    try:
        result = subprocess.run(["bash", str(ROOT / "scripts" / "pipeline.sh")], env=env,
                                capture_output=True, text=True, check=False)  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_LOCKED, result.stderr
    assert result.stderr.count("\n") == 1 and f"pid {holder.pid}" in result.stderr
    assert not (tmp_path / "demo").exists()  # nothing ran


def test_error_texts_are_one_printable_line():
    text = printable("bad\nline\x00\x1b[2J\u2028 é ok")
    assert text == "bad\\nline\\x00\\x1b[2J\\u2028 é ok" and text.isprintable()
