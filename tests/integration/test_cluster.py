"""`cinelake up --cluster N`: a Spark standalone master and N workers from the pip `pyspark`
jars. The pipeline runs end to end on it (demo sources, bronze, `dbt build` with every data
and unit test) with its tasks on executors in their own JVMs and shuffle blocks fetched
between them; `down` stops every JVM, executors included."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.stack import Stack, minutes_per_customer, stack_env

pytestmark = pytest.mark.integration

WORKERS = 2


def get_json(url: str):
    # 60 s: the driver's UI answers slowly while the other test worker's stack is busy (a
    # 5 s limit failed once in CI); a dead UI still fails within the minute
    with urllib.request.urlopen(url, timeout=60) as resp:
        return json.load(resp)


def master_state(stack: Stack) -> dict:
    return get_json(f"http://127.0.0.1:{stack.env['CINELAKE_SPARK_MASTER_UI_PORT']}/json/")


def executors(stack: Stack) -> list[dict]:
    """The Thrift server's executors, from its own UI's REST API (the driver excluded)."""
    api = f"http://127.0.0.1:{stack.env['CINELAKE_SPARK_UI_PORT']}/api/v1/applications"
    [app] = get_json(api)
    return [e for e in get_json(f"{api}/{app['id']}/executors") if e["id"] != "driver"]


def executor_pids(stack: Stack) -> list[int]:
    """JVMs whose working directory is a worker's work dir: the executors the workers
    launched (the driver and the workers themselves run elsewhere)."""
    work = stack.home / "spark" / "workers"
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")).is_relative_to(work):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("cluster")
    stack = Stack(home=home, env=stack_env(home))
    try:
        stack.cinelake("up", "--cluster", str(WORKERS))
        yield stack
    finally:
        stack.cinelake("down", check=False)


@pytest.fixture(scope="module")
def build(cluster):
    cluster.cinelake("demo-data", "--scale", "0.05", "--seed", "5", "--as-of", "2026-04-01")
    cluster.cinelake("ingest", "all")
    # The sessions fact, everything upstream of it (every source: titles are conformed across
    # CSV, TMDB and the shop) and the sessions' quarantine, with every test whose parents are
    # all selected. The whole project's build is test_stack's and the e2e test's; here it
    # would add minutes and prove nothing more about executors.
    selection = ["+fct_viewing_sessions", "+quarantine_shop__viewing_sessions"]
    return cluster.dbt("build", "--select", *selection, "--indirect-selection", "cautious")


def test_master_has_the_workers_and_the_thrift_server_as_its_application(cluster):
    state = master_state(cluster)
    assert state["status"] == "ALIVE"
    workers = [w for w in state["workers"] if w["state"] == "ALIVE"]
    assert len(workers) == WORKERS
    assert all(w["host"] == "127.0.0.1" for w in workers)
    assert [app["name"] for app in state["activeapps"]] == ["cinelake-thrift"]


def test_the_sessions_pipeline_builds_on_the_cluster_with_every_test_passing(build):
    assert "Completed successfully" in build.stdout
    assert "ERROR=0" in build.stdout and "SKIP=0" in build.stdout
    assert "rows_accounted_for" in build.stdout


def test_gold_equals_the_shop_database_on_the_cluster(cluster, build):
    from_shop, from_gold = minutes_per_customer(cluster)
    assert len(from_gold) > 0 and from_gold == from_shop


def test_tasks_and_shuffles_ran_on_executors_in_their_own_jvms(cluster, build):
    found = executors(cluster)
    assert len(found) == WORKERS
    assert all(e["isActive"] and e["totalTasks"] > 0 for e in found)
    # Shuffle blocks were read by executors: the joins and aggregations really crossed JVMs.
    assert all(e["totalShuffleRead"] > 0 for e in found)
    thrift_pid = int((cluster.home / "run" / "spark-thrift.pid").read_text())
    pids = executor_pids(cluster)
    assert len(pids) == WORKERS and thrift_pid not in pids


def test_up_without_the_flag_keeps_the_cluster(cluster):
    again = cluster.cinelake("up").stdout
    assert again.count("already running") == 4  # mariadb, cluster, thrift, stand-in
    status = cluster.cinelake("status").stdout
    assert all(f"spark-worker-{n}  running" in status for n in range(1, WORKERS + 1))


def test_cluster_is_refused_while_the_thrift_server_runs_in_local_mode(stack):
    result = stack.cinelake("up", "--cluster", "1", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "already runs with master local[*]" in result.stderr
    assert "cinelake down" in result.stderr
    assert not (stack.home / "run" / "spark-master.pid").exists()


def test_down_stops_every_jvm_of_the_cluster(cluster):
    """Last on purpose: it takes the cluster down."""
    run_dir = cluster.home / "run"
    daemons = [int(p.read_text()) for p in run_dir.glob("*.pid")]
    jvms = daemons + executor_pids(cluster)
    assert len(daemons) == 3 + WORKERS + 1  # mariadb, thrift, stand-in, workers, master
    assert all(alive(pid) for pid in jvms)
    down = cluster.cinelake("down").stdout
    assert down.count("stopped (pid") == len(daemons)
    assert not any(alive(pid) for pid in jvms)
    assert list(run_dir.glob("*.pid")) == []
