"""docker-compose.yml, checked without a Docker engine (none runs here).

Debian's docker-compose 1.29 validates the file against the Compose schema offline; the rest
are the stack's own rules, read from the YAML: loopback-only ports, healthchecks, named
volumes, credentials from .env, one Spark version, one lake path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyspark
import pytest
import yaml

from cinelake.config import load_settings
from cinelake.stack import metastore, spark_jars, spark_thrift

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
VARIABLE = re.compile(r"\$\{(\w+)(:?[-?][^}]*)?\}")
REQUIRED = re.compile(r"\$\{(\w+):\?[^}]*\}")
LAKE = "/lake"
IMAGE_UID = "185"  # the apache/spark image's `spark` user, also the Dockerfile's user


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


def docker_compose(env_file: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`docker-compose config -q` in a clean environment, pointed at no Docker engine."""
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
        [binary, "-f", str(COMPOSE_FILE), "--env-file", str(env_file), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_v1_validates_the_file(tmp_path):
    result = docker_compose(ENV_EXAMPLE, tmp_path)
    assert result.returncode == 0, result.stderr


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


def test_spark_images_are_the_installed_pyspark_version(services):
    spark = {s["image"] for s in services.values() if s.get("image", "").startswith("apache/")}
    assert spark == {f"apache/spark:{pyspark.__version__}"}, "bump the image with pyspark"


def test_the_lake_is_one_path_for_driver_executors_and_the_job(services):
    for name in ("spark-thrift", "spark-worker", "pipeline"):
        assert f"lake:{LAKE}" in services[name]["volumes"], name
    assert services["pipeline"]["environment"]["CINELAKE_LAKE_URL"] == LAKE
    assert confs(services["spark-thrift"]["command"])["spark.cinelake.lake_root"] == LAKE
    # Executors write table files where the driver commits them.
    for name in ("spark-thrift", "spark-worker"):
        assert "warehouse:/warehouse" in services[name]["volumes"], name


def confs(argv: list[str]) -> dict[str, str]:
    """The --conf properties of a spark-submit command line."""
    pairs = (argv[i + 1].split("=", 1) for i, arg in enumerate(argv) if arg == "--conf")
    return {key: value for key, value in pairs}


def properties_file(path: Path) -> dict[str, str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    pairs = (line.split(None, 1) for line in lines if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def test_cinelake_up_and_compose_share_one_spark_properties_file(services, tmp_path, monkeypatch):
    """The fixed properties are written once, in SPARK_DEFAULTS, which both command lines load;
    each gives the same per-stack properties (its own values) on top, and no fixed one."""
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.setenv("CINELAKE_SPARK_WORKERS", "2")  # compose runs a cluster
    monkeypatch.setattr(spark_jars, "require", lambda: [tmp_path / "a.jar"])
    local = spark_thrift.submit_command(load_settings(), instance="0123456789abcdef")
    thrift = services["spark-thrift"]
    compose_argv = [str(arg) for arg in thrift["command"]]
    fixed = properties_file(spark_thrift.SPARK_DEFAULTS)
    assert fixed, "no property in the shared file"
    # Both load the file...
    assert local[local.index("--properties-file") + 1] == str(spark_thrift.SPARK_DEFAULTS)
    in_container = compose_argv[compose_argv.index("--properties-file") + 1]
    mounts = [v for v in thrift["volumes"] if v.split(":")[1] == in_container]
    source = ROOT / mounts[0].split(":")[0]
    assert mounts and source.resolve() == spark_thrift.SPARK_DEFAULTS.resolve(), mounts
    # ...and give the same per-stack properties, none of the file's; but the instance token,
    # by which `cinelake up` knows its own server on the port (compose has a container's).
    assert set(confs(local)) == set(confs(compose_argv)) | {spark_thrift.INSTANCE_CONF}
    assert not set(fixed) & set(confs(local))


def test_spark_containers_get_the_pinned_jars_from_the_project_image(services):
    """The Thrift server and the workers mount the volume that the one-shot fills with the jars
    the Dockerfile fetched with Maven from the same pom as `cinelake up`'s set-up."""
    thrift = services["spark-thrift"]
    class_path = thrift["command"][thrift["command"].index("--driver-class-path") + 1]
    jar_dir, wildcard = class_path.rsplit("/", 1)
    assert wildcard == "*"
    assert confs([str(a) for a in thrift["command"]])["spark.executor.extraClassPath"] == class_path
    for name in ("spark-thrift", "spark-worker"):
        mounted = [v for v in services[name]["volumes"] if v.split(":")[1] == jar_dir]
        assert len(mounted) == 1 and mounted[0].endswith(":ro"), services[name]["volumes"]
        assert services[name]["depends_on"]["spark-jars"] == {
            "condition": "service_completed_successfully"
        }
    volume = mounted[0].split(":")[0]
    copier = services["spark-jars"]
    assert f"{volume}:/jars" in copier["volumes"]
    assert copier["entrypoint"][-1] == "cp /usr/local/share/cinelake/jars/*.jar /jars/"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY cinelake/stack/spark-jars.pom.xml" in dockerfile
    assert "dependency:copy-dependencies" in dockerfile
    assert "COPY --from=jars /build/jars /usr/local/share/cinelake/jars" in dockerfile


def test_python_servers_listen_beyond_loopback_inside_their_container(services):
    for name in ("tmdb-standin", "docs"):
        assert services[name]["environment"]["CINELAKE_BIND_HOST"] == "0.0.0.0", name


def test_volume_owner_is_the_images_user(services):
    assert services["volume-init"]["entrypoint"][1] == f"{IMAGE_UID}:{IMAGE_UID}"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"ARG CINELAKE_UID={IMAGE_UID}" in dockerfile
    assert re.search(r"^USER cinelake$", dockerfile, re.M), "the image must not run as root"


def test_dockerfile_installs_the_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^COPY pyproject\.toml .*\./$", dockerfile, re.M)
    assert re.search(r"^COPY \. \.$", dockerfile, re.M)
    # editable, so that cinelake.config.PROJECT_ROOT is the copied project (seeds, dbt)
    assert "pip install --no-deps -e ." in dockerfile


def test_the_pipeline_job_is_the_job_of_main_sh(services):
    """One script for both: main.sh runs it after `cinelake up`, the container instead of it."""
    assert services["pipeline"]["command"] == ["bash", "scripts/pipeline.sh"]
    main = (ROOT / "scripts" / "main.sh").read_text().splitlines()
    assert main.index("scripts/pipeline.sh") > main.index("cinelake up")


def test_the_pii_salt_goes_to_the_spark_jvms_only(services):
    """The SQL reads the salt from the environment of the JVM evaluating it (the Thrift server,
    executors inheriting it from their worker): nothing else needs it, nothing else gets it."""
    has_salt = {
        name
        for name, service in services.items()
        if "CINELAKE_PII_SALT" in (service.get("environment") or {})
    }
    assert has_salt == {"spark-thrift", "spark-worker"}
    for name in has_salt:
        assert "CINELAKE_PII_SALT" not in " ".join(map(str, services[name]["command"])), name
    assert "salt" not in spark_thrift.SPARK_DEFAULTS.read_text().lower()


def hive_site(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    return {p.findtext("name"): p.findtext("value") for p in root.iter("property")}


def test_the_catalog_is_the_metastore_in_the_mysql_service(services):
    """spark-thrift finds the metastore in the hive-site.xml mounted in its conf dir: the same
    properties `cinelake up` writes, pointed at the `mysql` service, the password read from the
    JVM's environment; the database and its user are made at MariaDB's first start, the schema
    by the one-shot running the code `cinelake up` runs, before the Thrift server starts."""
    thrift = services["spark-thrift"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in thrift["volumes"]}
    site = ROOT / mounts["/opt/spark/conf/hive-site.xml"]
    password_env = "CINELAKE_METASTORE_PASSWORD"
    expected = metastore.hive_site_properties(
        metastore.jdbc_url("mysql", 3306), "${env." + password_env + "}"
    )
    assert hive_site(site) == expected
    assert password_env in thrift["environment"]
    assert not any("jdo" in key or "derby" in key for key in confs(thrift["command"]))
    init = services["mysql"]["volumes"]
    script = next(v.split(":")[0] for v in init if "metastore" in v)
    text = (ROOT / script).read_text()
    assert f"create database if not exists {metastore.DATABASE}" in text
    assert f"'{metastore.USER}'@'%'" in text and password_env in text
    schema = services["metastore-schema"]
    assert schema["command"] == ["python", "-m", "cinelake.stack.metastore"]
    assert schema["environment"]["CINELAKE_MYSQL_HOST"] == "mysql"
    assert thrift["depends_on"]["metastore-schema"] == {
        "condition": "service_completed_successfully"
    }


def test_the_metastore_password_goes_where_it_is_used_only(services):
    has_password = {
        name
        for name, service in services.items()
        if "CINELAKE_METASTORE_PASSWORD" in (service.get("environment") or {})
    }
    assert has_password == {"mysql", "metastore-schema", "spark-thrift"}
    for name in has_password:
        assert "CINELAKE_METASTORE_PASSWORD" not in " ".join(map(str, services[name]["command"]))


def test_the_pipeline_job_reaches_the_thrift_server_and_its_ui_by_service_name(services):
    """pipeline.sh's `cinelake ops record` reads the Spark UI of the Thrift server's JVM, and
    `cinelake sql`/`maintain` talk to it: by its compose host name and its container ports."""
    job = services["pipeline"]["environment"]
    thrift = services["spark-thrift"]
    assert job["CINELAKE_THRIFT_HOST"] == "spark-thrift"
    assert f"hive.server2.thrift.port={job['CINELAKE_THRIFT_PORT']}" in thrift["command"]
    assert f"spark.ui.port={job['CINELAKE_SPARK_UI_PORT']}" in thrift["command"]
