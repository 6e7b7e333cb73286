"""The compose stack's fixtures: the suite's own Docker engine, the image built once, and the
compose job run once for the module (tests/compose/test_compose_stack.py).

Without root or an engine the module is skipped with one line saying why; with CI set it
must run, and fails loudly instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.compose import ComposeProject
from tests.helpers.docker_engine import (
    DEFAULT_CACHE,
    Engine,
    EngineUnavailable,
    ensure_base_image,
    own_engine,
)
from tests.helpers.stack import PROJECT_ROOT, TEST_JAVA_OPTIONS, free_port

# The host's trust store, given to the build as the image's extra CA bundle (docker/ca/): pip
# and Maven reach their registries only through it where TLS is inspected.
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
BUILD_CA = PROJECT_ROOT / "docker" / "ca" / "host-bundle.crt"
# The pipeline job's build, selected (the file says why)
PIPELINE_SELECTION = Path(__file__).with_name("pipeline-selection.yml")


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    cache = Path(os.environ.get("CINELAKE_DOCKER_CACHE", DEFAULT_CACHE))
    try:
        with own_engine(cache) as started:
            yield started
    except EngineUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but no Docker engine can run here: {exc}")
        pytest.skip(f"compose stack not tested: {exc}")


@pytest.fixture(scope="session")
def image(engine: Engine) -> dict[str, float | str]:
    """The base (pulled, cached or made by debootstrap), then the image built by compose."""
    timings: dict[str, float | str] = {}
    began = time.monotonic()
    timings["base"] = ensure_base_image(engine)
    timings["base_s"] = round(time.monotonic() - began, 1)
    if HOST_CA_BUNDLE.is_file():
        shutil.copyfile(HOST_CA_BUNDLE, BUILD_CA)
    began = time.monotonic()
    project = ComposeProject(engine, env_file=PROJECT_ROOT / ".env.example", name="cinelake-build")
    project.compose("build", "mysql", timeout=3600)
    timings["build_s"] = round(time.monotonic() - began, 1)
    print(f"compose test image: {timings}")
    return timings


def compose_env() -> dict[str, str]:
    """The .env of the test's project: fresh secrets, free loopback ports, a small demo."""
    return {
        "COMPOSE_PROJECT_NAME": "cinelake-test",
        "CINELAKE_MYSQL_OWNER_PASSWORD": secrets.token_hex(12),
        "CINELAKE_MYSQL_ETL_PASSWORD": secrets.token_hex(12),
        "CINELAKE_METASTORE_PASSWORD": secrets.token_hex(12),
        "CINELAKE_PII_SALT": secrets.token_hex(16),
        "AWS_ACCESS_KEY_ID": "cinelake-test",
        "AWS_SECRET_ACCESS_KEY": f"fake-s3-secret-{secrets.token_hex(8)}",
        "CINELAKE_LAKE_URL": "s3://cinelake-test/lake",
        "AWS_ENDPOINT_URL": "http://s3:5000",
        "AWS_DEFAULT_REGION": "us-east-1",
        "CINELAKE_MYSQL_DATABASE": "shop",
        "CINELAKE_MYSQL_OWNER_USER": "shop_owner",
        "CINELAKE_MYSQL_ETL_USER": "etl",
        **{
            name: str(free_port())
            for name in (
                "CINELAKE_MYSQL_PORT",
                "CINELAKE_THRIFT_PORT",
                "CINELAKE_SPARK_UI_PORT",
                "CINELAKE_SPARK_MASTER_UI_PORT",
                "CINELAKE_TMDB_PORT",
                "CINELAKE_DOCS_PORT",
                "CINELAKE_S3_PORT",
            )
        },
        "CINELAKE_SPARK_DRIVER_MEMORY": "1g",
        # Two task slots per worker: once one worker is killed, the other runs the dbt
        # threads' statements side by side instead of one after another.
        "CINELAKE_SPARK_WORKER_CORES": "2",
        "CINELAKE_SPARK_WORKER_MEMORY": "1g",
        "CINELAKE_SPARK_EXECUTOR_MEMORY": "768m",
        "CINELAKE_SPARK_SHUFFLE_PARTITIONS": "2",
        # The JIT's quick tier only, as on the suite's other stacks (tests/helpers/stack.py).
        "CINELAKE_SPARK_JAVA_OPTIONS": TEST_JAVA_OPTIONS,
        # The suite's demo size (tests/helpers/stack.py's MAIN_JOB_DEMO): what is checked here
        # does not depend on the volume.
        "CINELAKE_DEMO_SCALE": "0.05",
        "CINELAKE_DEMO_SEED": "11",
    }


@pytest.fixture(scope="module")
def project(engine: Engine, image, tmp_path_factory) -> Iterator[ComposeProject]:
    """The test's compose project, `down -v` at the end whatever happened."""
    env_file = tmp_path_factory.mktemp("compose") / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in compose_env().items()))
    started = ComposeProject(
        engine, env_file=env_file, name="cinelake-test", overrides=(PIPELINE_SELECTION,)
    )
    try:
        yield started
    finally:
        started.compose("down", "-v", "--remove-orphans", check=False, timeout=300)
