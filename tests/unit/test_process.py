"""Pid-file bookkeeping of the local services, with real child processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from cinelake.stack.process import Daemon, Launch, ServiceError, ensure_port_free

SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)", "cinelake-test-sleeper"]


def exited(pid: int) -> bool:
    """True when our child has exited (reaping it: the CLI's children are reaped by init)."""
    try:
        reaped, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # already reaped by subprocess' own clean-up
        return True
    return reaped == pid


@pytest.fixture
def daemon(tmp_path):
    return Daemon(
        name="sleeper",
        pid_file=tmp_path / "run" / "sleeper.pid",
        log_file=tmp_path / "logs" / "sleeper.log",
        cmdline_marker="cinelake-test-sleeper",
    )


def test_start_records_pid_and_stop_waits_for_exit(daemon, tmp_path):
    pid = daemon.start(SLEEPER, cwd=tmp_path)
    try:
        assert daemon.running_pid() == pid
        assert daemon.stop(timeout_s=10) == pid
        assert daemon.running_pid() is None
        assert not daemon.pid_file.exists()
        assert exited(pid)
    finally:
        daemon.stop(timeout_s=1)


def test_pid_file_of_a_dead_process_is_stale_and_removed(daemon, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    daemon.pid_file.parent.mkdir(parents=True)
    daemon.pid_file.write_text(f"{dead.pid}\n")
    assert daemon.running_pid() is None
    assert not daemon.pid_file.exists()


def test_pid_file_naming_a_foreign_live_process_is_not_ours(daemon):
    """A recycled pid must never be signalled by `down`."""
    daemon.pid_file.parent.mkdir(parents=True)
    daemon.pid_file.write_text(f"{os.getpid()}\n")  # this pytest process: alive, not a sleeper
    assert daemon.running_pid() is None
    assert daemon.stop() is None
    os.kill(os.getpid(), 0)  # still here


def test_garbage_pid_file_is_removed(daemon):
    daemon.pid_file.parent.mkdir(parents=True)
    daemon.pid_file.write_text("not a pid")
    assert daemon.running_pid() is None
    assert not daemon.pid_file.exists()


def test_wait_ready_reports_an_early_exit_with_the_log_tail(daemon, tmp_path):
    pid = daemon.start(
        [sys.executable, "-c", "import sys; print('boom: bad config'); sys.exit(3)"], cwd=tmp_path
    )
    with pytest.raises(ServiceError, match="exited during start-up") as failure:
        daemon.wait_ready(pid, probe=lambda: False, timeout_s=30)
    assert "boom: bad config" in str(failure.value)


def test_wait_ready_times_out_stops_the_process_and_shows_the_log(daemon, tmp_path):
    pid = daemon.start(SLEEPER, cwd=tmp_path)
    with pytest.raises(ServiceError, match="not ready after 2s"):
        daemon.wait_ready(pid, probe=lambda: False, timeout_s=2)
    assert daemon.running_pid() is None


def test_taken_port_error_names_the_port_and_the_variable():
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(ServiceError) as taken:
            ensure_port_free(port, "MariaDB", "CINELAKE_MYSQL_PORT")
    assert f"port {port}" in str(taken.value)
    assert "CINELAKE_MYSQL_PORT" in str(taken.value)


def test_a_timeout_says_what_the_probe_waited_for(daemon, tmp_path):
    pid = daemon.start(SLEEPER, cwd=tmp_path)
    with pytest.raises(ServiceError) as failure:
        daemon.wait_ready(pid, probe=lambda: False, timeout_s=1, waiting_for=lambda: "a sign")
    assert "not ready after 1s; it waited for a sign (raise" in str(failure.value)
    assert daemon.running_pid() is None


def test_ensure_running_starts_once_and_launches_only_what_it_starts(daemon, tmp_path):
    launches = []

    def launch() -> Launch:
        launches.append(1)
        return Launch(SLEEPER, tmp_path, ready=lambda: True)

    pid, started = daemon.ensure_running([], launch, timeout_s=10)
    try:
        assert started and daemon.running_pid() == pid
        assert daemon.ensure_running([], launch, timeout_s=10) == (pid, False)
        assert len(launches) == 1  # a running service's files are not written again
    finally:
        daemon.stop(timeout_s=10)


def test_ensure_running_checks_the_ports_before_it_launches(daemon):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(ServiceError, match="CINELAKE_TEST_PORT"):
            daemon.ensure_running(
                [(port, "the sleeper", "CINELAKE_TEST_PORT")],
                lambda: pytest.fail("launched on a taken port"),
                timeout_s=10,
            )
    assert daemon.running_pid() is None
