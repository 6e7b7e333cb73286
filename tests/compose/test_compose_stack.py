"""docker-compose.yml for real, on the suite's own Docker engine (tests/helpers/docker_engine.py):
the image built from Debian, `up` running the whole job (MariaDB, a Spark master and two
workers, each its own host, the Thrift server, the lake on moto's S3, the TMDB stand-in, the
pipeline job, its build given a selection by pipeline-selection.yml, the docs server), one
worker killed while dbt builds and the build still green, gold over Thrift and the docs page
through the ports published on 127.0.0.1; last, `down` and `up` again keep the warehouse (the
catalog in MariaDB's volume, the lake in the S3 stand-in's saved buckets); `down -v` at the
end.

Cost (2 cores): see docs/containers.md, "The compose test": the image is built once per data
root and then only its last layer (the project's code) when that changed.
"""

from __future__ import annotations

import re
import time

import boto3
import pytest

from tests.helpers.compose import ComposeProject, wait_until

pytestmark = pytest.mark.integration

JOB_TIMEOUT_S = 3600
# dbt's line for a table built in silver: by then both executors have run tasks (the bronze
# registration, the seeds, source freshness, the table itself), and most of the build is ahead.
MODEL_BUILT = re.compile(r"\d+ of \d+ OK created sql (table|incremental) model silver\.")
KILLED_WORKER = "spark-worker-2"
WORKER_HOSTS = {"spark-worker-1", "spark-worker-2"}


@pytest.fixture(scope="module")
def job(project: ComposeProject) -> dict:
    """`up` (in the background: it returns only once the job has ended and the docs server
    started), one worker killed once dbt has built a table, the job waited for."""
    began = time.monotonic()
    up = project.compose_in_background("up", "-d")
    try:
        wait_until(
            lambda: MODEL_BUILT.search(project.logs("pipeline")),
            JOB_TIMEOUT_S,
            "a table built",
            every_s=3,
        )
        built_s = time.monotonic() - began
        project.compose("kill", "-s", "SIGKILL", KILLED_WORKER)
        status = project.wait_exit("pipeline", JOB_TIMEOUT_S)
        job_s = time.monotonic() - began
        up_out, _ = up.communicate(timeout=600)
    finally:
        if up.poll() is None:
            up.kill()
    timings = {"first_table_s": round(built_s, 1), "job_s": round(job_s, 1)}
    print(f"compose job: {timings}")
    return {"status": status, "up_status": up.returncode, "up_out": up_out,
            "log": project.logs("pipeline"), **timings}  # fmt: skip


def test_the_job_is_green_on_two_workers_with_one_killed_during_the_build(project, job):
    assert job["status"] == 0, job["log"][-6000:]
    assert job["up_status"] == 0, job["up_out"][-3000:]
    assert "ERROR=0" in job["log"] and "Completed successfully" in job["log"]
    killed = project.state(KILLED_WORKER)
    assert not killed["Running"] and killed["ExitCode"] == 137


def test_executors_on_both_worker_hosts_ran_tasks(project, job):
    """Spark's REST API of the Thrift server (its published UI port): an executor on each
    worker's host ran tasks; the killed one's is gone, its work redone on the other."""
    [app] = project.get_json("CINELAKE_SPARK_UI_PORT", "/api/v1/applications")
    path = f"/api/v1/applications/{app['id']}/allexecutors"
    executors = [e for e in project.get_json("CINELAKE_SPARK_UI_PORT", path) if e["id"] != "driver"]
    tasks = {host: 0 for host in WORKER_HOSTS}
    active = set()
    for executor in executors:
        host = executor["hostPort"].split(":")[0]
        tasks[host] = tasks.get(host, 0) + executor["totalTasks"]
        if executor["isActive"]:
            active.add(host)
    assert set(tasks) == WORKER_HOSTS and all(tasks.values()), executors
    assert active == WORKER_HOSTS - {KILLED_WORKER}, executors


def test_gold_answers_over_thrift_on_loopback(project, job):
    [(sessions,)] = project.thrift_rows("select count(*) from gold.fct_viewing_sessions")
    [(titles,)] = project.thrift_rows("select count(*) from gold.dim_title")
    assert sessions > 0 and titles > 0


def test_bronze_silver_and_gold_are_on_s3(project, job):
    """No shared disk: the lake and the warehouse are objects of the S3 stand-in (reached
    here through its published port)."""
    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{project.port('CINELAKE_S3_PORT')}",
        aws_access_key_id=project.settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=project.settings["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    bucket, prefix = project.settings["CINELAKE_LAKE_URL"].removeprefix("s3://").split("/", 1)
    for part in ("bronze/shop/viewing_sessions/", "warehouse/silver.db/", "warehouse/gold.db/"):
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/{part}", MaxKeys=1)
        assert listed.get("KeyCount", 0) > 0, part


def test_the_docs_page_loads(project, job):
    status, body = wait_until(
        lambda: project.get("CINELAKE_DOCS_PORT", "/"), 120, "the docs server"
    )
    assert status == 200 and b"dbt" in body


def test_published_ports_listen_on_loopback_only(project, job):
    for service in ("mysql", "s3", "spark-master", "spark-thrift", "tmdb-standin", "docs"):
        ports = project.engine.run(
            "docker",
            "inspect",
            "-f",
            "{{json .HostConfig.PortBindings}}",
            project.container(service),
        ).stdout
        hosts = set(re.findall(r'"HostIp":"([^"]*)"', ports))
        assert hosts == {"127.0.0.1"}, (service, ports)


def test_secrets_are_in_no_log(project, job):
    secrets = [
        project.settings[name]
        for name in (
            "CINELAKE_MYSQL_OWNER_PASSWORD",
            "CINELAKE_MYSQL_ETL_PASSWORD",
            "CINELAKE_METASTORE_PASSWORD",
            "CINELAKE_PII_SALT",
            "AWS_SECRET_ACCESS_KEY",
        )
    ]
    logs = project.compose("logs", "--no-color").stdout
    assert logs and not [s for s in secrets if s in logs]


def test_down_and_up_keep_the_warehouse(project, job):
    """Last (it replaces the containers): `down` without -v, then `up` of the Thrift server and
    what it needs. The catalog is in MariaDB's volume and the lake in the S3 stand-in's saved
    buckets, so gold answers as before, read back through s3a:// by the new executors."""
    [(before,)] = project.thrift_rows("select count(*) from gold.fct_viewing_sessions")
    project.compose("down", timeout=600)
    project.forget_containers()
    project.compose("up", "-d", "spark-thrift", timeout=1200)

    def sessions():
        try:
            return project.thrift_rows("select count(*) from gold.fct_viewing_sessions")
        except Exception:  # noqa: BLE001 - the server is still starting
            return None

    assert wait_until(sessions, 600, "gold over Thrift after up") == [(before,)]
    assert re.search(r"s3 stand-in: [1-9]\d* bucket\(s\) loaded", project.logs("s3"))
