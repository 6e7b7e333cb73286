"""docker-compose.yml and the Dockerfile, checked without a Docker engine (the compose stack
itself runs in tests/compose/, on an engine of the suite's own).

Debian's docker-compose 1.29 validates the file against the Compose schema offline; the rest
are the stack's own rules, read from the YAML: one image from Debian, every role the command
`cinelake up` runs (cinelake/stack/container.py), loopback-only ports, healthchecks, named
volumes, credentials from .env, the lake on S3 for every host.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from cinelake.config import load_settings
from cinelake.stack import container, spark_jars, spark_thrift

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
VARIABLE = re.compile(r"\$\{(\w+)(:?[-?][^}]*)?\}")
REQUIRED = re.compile(r"\$\{(\w+):\?[^}]*\}")
DOCKERFILE = ROOT / "Dockerfile"
IMAGE = "cinelake:local"
SPARK_JVMS = {"spark-thrift", "spark-worker-1", "spark-worker-2"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env_example() -> dict[str, str]:
    lines = ENV_EXAMPLE.read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def one_shot(service: dict) -> bool:
    return service.get("restart") == "no"


def docker_compose(
    env_file: Path, tmp_path: Path, *overrides: Path, args: tuple[str, ...] = ("config", "-q")
) -> subprocess.CompletedProcess[str]:
    """`docker-compose config -q` (or `args`) in a clean environment, pointed at no Docker
    engine, on docker-compose.yml and the `overrides` laid over it."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail(
            "docker-compose (Compose v1) is needed to validate docker-compose.yml: "
            "apt-get install docker-compose (scripts/test.sh installs it)"
        )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DOCKER_HOST": f"unix://{tmp_path}/no-docker-engine.sock",
    }
    return subprocess.run(
        [
            binary,
            *(a for f in (COMPOSE_FILE, *overrides) for a in ("-f", str(f))),
            "--env-file",
            str(env_file),
            *args,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_v1_validates_the_file(tmp_path):
    result = docker_compose(ENV_EXAMPLE, tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_compose_tests_selection_changes_only_the_jobs_build(tmp_path):
    """tests/compose lays pipeline-selection.yml over the file: the same job, its build
    given a selection (scripts/pipeline.sh hands its arguments to `cinelake build`)."""
    override = ROOT / "tests" / "compose" / "pipeline-selection.yml"
    merged = docker_compose(ENV_EXAMPLE, tmp_path, override, args=("config",))
    assert merged.returncode == 0, merged.stderr
    plain = yaml.safe_load(docker_compose(ENV_EXAMPLE, tmp_path, args=("config",)).stdout)
    laid = yaml.safe_load(merged.stdout)
    command = laid["services"]["pipeline"]["command"]
    job = ["bash", "scripts/pipeline.sh"]
    assert command[:2] == plain["services"]["pipeline"]["command"] == job
    assert command[2] == "--select" and "+fct_viewing_sessions" in command
    for config in (laid, plain):
        config["services"]["pipeline"].pop("command")
        for service in config["services"].values():  # compose lists them in any order
            service["ports"] = sorted(map(str, service.get("ports", [])))
    assert laid == plain
    script = (ROOT / "scripts" / "pipeline.sh").read_text()
    assert 'cinelake build --daily "$@" ||' in script


@pytest.mark.parametrize("name", sorted(set(REQUIRED.findall(COMPOSE_FILE.read_text()))))
def test_a_missing_credential_stops_compose(name, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "".join(f"{key}={value}\n" for key, value in env_example().items() if key != name)
    )
    result = docker_compose(env_file, tmp_path)
    assert result.returncode != 0 and name in result.stderr


def test_every_variable_is_in_env_example_and_nothing_else():
    used = {name for name, _ in VARIABLE.findall(COMPOSE_FILE.read_text())}
    listed = set(env_example())
    assert used - listed == set(), "add them to .env.example"
    assert listed - used == {"COMPOSE_PROJECT_NAME"}, "unused in docker-compose.yml"


def test_credentials_only_come_from_env(services):
    secret = re.compile(r"PASSWORD|SALT|SECRET|KEY")
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if secret.search(key):
                assert REQUIRED.fullmatch(str(value)), f"{name}.{key} must be ${{VAR:?...}}"


def test_ports_are_published_on_loopback_only(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_long_running_services_have_healthchecks(services):
    for name, service in services.items():
        if not one_shot(service):
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_dependencies_wait_for_health_or_completion(services):
    for name, service in services.items():
        for dependency, spec in (service.get("depends_on") or {}).items():
            wanted = (
                "service_completed_successfully"
                if one_shot(services[dependency])
                else "service_healthy"
            )
            assert spec == {"condition": wanted}, f"{name} -> {dependency}"


def test_volumes_are_named_or_read_only_project_files(compose, services):
    declared = set(compose["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source, target, *mode = volume.split(":")
            if source.startswith("./"):
                assert (ROOT / source).is_file() and mode == ["ro"], f"{name}: {volume}"
            else:
                assert source in declared, f"{name}: {volume} is not a declared named volume"
                assert target.startswith("/")


def test_every_service_runs_the_one_image_built_from_debian(services):
    assert {s["image"] for s in services.values()} == {IMAGE}
    for name, service in services.items():
        assert service["build"]["context"] == ".", name
    froms = re.findall(r"^FROM (\S+)", DOCKERFILE.read_text(), re.M)
    assert froms == ["debian:bookworm-slim"]


def role(service: dict) -> str | None:
    """The cinelake.stack.container role a service runs, if any."""
    command = [str(arg) for arg in service.get("command", [])]
    if command[:3] == ["python", "-m", "cinelake.stack.container"]:
        return command[3]
    return None


def test_every_server_runs_its_cinelake_up_role(services):
    roles = {name: role(service) for name, service in services.items()}
    assert roles == {
        "mysql": "mariadb",
        "s3": "s3",
        "lake-bucket": "lake-bucket",
        "spark-master": "spark-master",
        "spark-worker-1": "spark-worker",
        "spark-worker-2": "spark-worker",
        "spark-thrift": "spark-thrift",
        "tmdb-standin": None,
        "pipeline": None,
        "docs": None,
    }
    assert set(roles.values()) - {None} == set(container.ROLES)
    thrift_check = services["spark-thrift"]["healthcheck"]["test"]
    assert thrift_check[-3:] == ["cinelake.stack.container", "health", "spark-thrift"]


def test_each_host_is_named_as_the_roles_expect(services):
    assert services["spark-master"]["hostname"] == container.MASTER_HOST
    assert services["spark-thrift"]["environment"]["CINELAKE_MYSQL_HOST"] == container.MYSQL_HOST
    assert container.MYSQL_HOST in services
    for name in SPARK_JVMS | {"spark-master", "mysql", "s3"}:
        assert services[name]["hostname"] == name


def test_the_lake_is_one_s3_url_for_driver_executors_and_the_job(services):
    """Every worker is its own host with its own disk: bronze, silver and gold are on S3."""
    lakes = {services[name]["environment"]["CINELAKE_LAKE_URL"] for name in SPARK_JVMS}
    lakes.add(services["pipeline"]["environment"]["CINELAKE_LAKE_URL"])
    [lake] = lakes
    assert lake.startswith("${CINELAKE_LAKE_URL:-s3://")
    for name in SPARK_JVMS:
        assert not services[name].get("volumes"), f"{name} shares a disk"
        assert "AWS_SECRET_ACCESS_KEY" in services[name]["environment"], name


def argv_of(role_function, settings) -> list[str]:
    """The command line a role would exec."""
    seen = []

    def capture(argv, env):
        seen.append(argv)

    original = container._exec
    container._exec = capture
    try:
        role_function(settings)
    finally:
        container._exec = original
    [argv] = seen
    return argv


def test_the_thrift_server_is_cinelake_ups_on_the_container_network(tmp_path, monkeypatch):
    """The same spark-submit as `cinelake up --cluster`, with the same properties file and the
    same confs, but the container's addresses, master and warehouse."""
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.setenv("CINELAKE_SPARK_WORKERS", "2")
    monkeypatch.setenv("CINELAKE_LAKE_URL", "s3://bucket/lake")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://s3:5000")
    monkeypatch.setenv("CINELAKE_PII_SALT", "a-test-salt-of-16-chars")
    monkeypatch.setenv("CINELAKE_METASTORE_PASSWORD", "a-test-password-16")
    monkeypatch.setenv("CINELAKE_MYSQL_HOST", "mysql")
    monkeypatch.setenv("CINELAKE_MYSQL_PORT", "3306")
    monkeypatch.setattr(spark_jars, "require", lambda: [tmp_path / "a.jar"])
    monkeypatch.setattr(container, "hostname", lambda: "spark-thrift")
    settings = load_settings()
    local = spark_thrift.submit_command(settings, instance="0123456789abcdef")
    compose = argv_of(container.serve_spark_thrift, settings)
    changed = {
        "spark.driver.host": "spark-thrift",
        "spark.driver.bindAddress": "0.0.0.0",
        "spark.sql.warehouse.dir": "s3a://bucket/lake/warehouse",
    }
    local_confs, compose_confs = confs(local), confs(compose)
    assert set(local_confs) == set(compose_confs)
    differs = {k: v for k, v in compose_confs.items() if local_confs[k] != v}
    differs.pop(spark_thrift.INSTANCE_CONF)  # a fresh token per start
    assert differs == changed
    assert compose[compose.index("--master") + 1] == "spark://spark-master:7077"
    assert "hive.server2.thrift.bind.host=0.0.0.0" in compose
    assert compose[compose.index("--properties-file") + 1] == str(spark_thrift.SPARK_DEFAULTS)
    # The catalog: the `mysql` service, in the owner-only hive-site.xml `cinelake up` writes.
    site = tmp_path / "spark" / "conf" / "hive-site.xml"
    assert "jdbc:mariadb://mysql:3306/metastore" in site.read_text()
    assert site.stat().st_mode & 0o077 == 0


def confs(argv: list[str]) -> dict[str, str]:
    """The --conf properties of a spark-submit command line."""
    pairs = (argv[i + 1].split("=", 1) for i, arg in enumerate(argv) if arg == "--conf")
    return {key: value for key, value in pairs}


def test_the_image_has_the_pinned_jars_where_cinelake_up_looks(services):
    """Maven fetches the pom of `cinelake up`'s set-up into the venv's jar folder, with the
    stamp spark_jars checks; the last layer verifies it (a no-op when current)."""
    dockerfile = DOCKERFILE.read_text()
    assert "COPY cinelake/stack/spark-jars.pom.xml" in dockerfile
    assert "dependency:copy-dependencies" in dockerfile
    assert "jars=/app/.venv/share/cinelake/jars" in dockerfile
    assert f'"$jars/{spark_jars.STAMP}"' in dockerfile
    assert "python -m cinelake.stack.spark_jars" in dockerfile


def test_python_servers_listen_beyond_loopback_inside_their_container(services):
    for name in ("tmdb-standin", "docs"):
        assert services[name]["environment"]["CINELAKE_BIND_HOST"] == "0.0.0.0", name


def test_the_image_does_not_run_as_root_and_owns_its_volumes(compose, services):
    dockerfile = DOCKERFILE.read_text()
    assert re.search(r"^USER cinelake$", dockerfile, re.M), "the image must not run as root"
    # A new named volume takes the owner of the image's folder it is mounted on.
    chowned = re.search(r"chown cinelake:cinelake (.*)$", dockerfile, re.M).group(1).split()
    for service in services.values():
        for volume in service.get("volumes", []):
            assert volume.split(":")[1] in chowned, volume


def test_the_extra_ca_comes_before_any_download():
    dockerfile = DOCKERFILE.read_text()
    assert dockerfile.index("COPY docker/ca/") < dockerfile.index("apt-get install")
    assert dockerfile.index("update-ca-certificates") < dockerfile.index("pip install")
    assert "PIP_CERT=/etc/ssl/certs/ca-certificates.crt" in dockerfile
    assert (ROOT / "docker" / "ca" / ".gitignore").read_text().strip() == "*.crt"


def test_dockerfile_installs_the_project():
    dockerfile = DOCKERFILE.read_text()
    assert re.search(r"^COPY pyproject\.toml \./$", dockerfile, re.M)
    assert re.search(r"^COPY \. \.$", dockerfile, re.M)
    # editable, so that cinelake.config.PROJECT_ROOT is the copied project (seeds, dbt)
    assert "pip install --no-deps -e ." in dockerfile
    # the project's code last: editing it rebuilds one layer
    assert dockerfile.index("COPY . .") > dockerfile.index("dependency:copy-dependencies")


def test_the_pipeline_job_is_the_job_of_main_sh(services):
    """One script for both: main.sh runs it after `cinelake up`, the container instead of it."""
    assert services["pipeline"]["command"] == ["bash", "scripts/pipeline.sh"]
    main = (ROOT / "scripts" / "main.sh").read_text().splitlines()
    assert main.index("scripts/pipeline.sh") > main.index("cinelake up")


def test_the_pii_salt_goes_to_the_spark_jvms_that_run_sql_only(services):
    """The SQL reads the salt from the environment of the JVM evaluating it (the Thrift server,
    executors inheriting it from their worker): nothing else needs it, nothing else gets it."""
    has_salt = {
        name
        for name, service in services.items()
        if "CINELAKE_PII_SALT" in (service.get("environment") or {})
    }
    assert has_salt == SPARK_JVMS
    assert "salt" not in spark_thrift.SPARK_DEFAULTS.read_text().lower()


def test_the_metastore_password_goes_where_it_is_used_only(services):
    has_password = {
        name
        for name, service in services.items()
        if "CINELAKE_METASTORE_PASSWORD" in (service.get("environment") or {})
    }
    assert has_password == {"mysql", "spark-thrift"}


def test_the_pipeline_job_reaches_the_thrift_server_and_its_ui_by_service_name(services):
    """pipeline.sh's `cinelake ops record` reads the Spark UI of the Thrift server's JVM, and
    `cinelake sql`/`maintain` talk to it: by its compose host name and its container ports,
    the defaults the role starts it with."""
    job = services["pipeline"]["environment"]
    settings = load_settings()
    assert job["CINELAKE_THRIFT_HOST"] == services["spark-thrift"]["hostname"]
    assert int(job["CINELAKE_THRIFT_PORT"]) == settings.thrift_port
    assert int(job["CINELAKE_SPARK_UI_PORT"]) == settings.spark_ui_port
    published = [p.rsplit(":", 1)[1] for p in services["spark-thrift"]["ports"]]
    assert published == [str(settings.thrift_port), str(settings.spark_ui_port)]
