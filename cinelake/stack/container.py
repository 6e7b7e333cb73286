"""The services of docker-compose.yml, one per container of the project's one image:
`python -m cinelake.stack.container ROLE` runs ROLE in the foreground (`health spark-thrift`
is the Thrift server's healthcheck).

Each role runs the command `cinelake up` runs on a bare machine, built by the same functions
(mariadb.start and server_command, spark_cluster.master_command and worker_command,
spark_thrift.submit_command), changed only where a container is not one machine:
- it listens on its container's network instead of loopback, and names itself by its compose
  host name (the host reaches it only through the ports compose publishes on 127.0.0.1);
- the Spark master and MariaDB are other hosts (`spark-master`, `mysql`);
- the lake is on S3 and the warehouse with it (<lake>/warehouse): no worker shares a disk with
  the driver, executors on every host read and write tables through s3a://.
A JVM or a server replaces this process (exec), so compose's signals reach it directly;
the S3 stand-in is this process, and saves its buckets when compose stops it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from collections.abc import Callable

from cinelake import lake
from cinelake.config import Settings, SettingsError, load_settings, process_environment
from cinelake.stack import (
    mariadb,
    metastore,
    s3_standin,
    spark_cluster,
    spark_runtime,
    spark_thrift,
)
from cinelake.stack.process import ServiceError

ALL_INTERFACES = "0.0.0.0"
# Compose host names (docker-compose.yml's services).
MASTER_HOST = "spark-master"
MYSQL_HOST = "mysql"
# A container's users connect from other hosts of the compose network; root stays on the
# Unix socket, as under `cinelake up`.
CLIENT_HOSTS = (*mariadb.LOCAL_CLIENT_HOSTS, "%")
WORKER_UI_PORT = 8081  # fixed, for compose's healthcheck: each worker is its own host
S3_PORT = 5000


def hostname() -> str:
    """This container's compose host name (docker-compose.yml sets `hostname:`)."""
    return socket.gethostname()


def replace_option(argv: list[str], option: str, value: str) -> list[str]:
    """argv with the value after `option` (or in `option=value`) replaced; it must be there."""
    out = list(argv)
    for i, arg in enumerate(out):
        if arg == option:
            out[i + 1] = value
            return out
        if arg.startswith(option + "="):
            out[i] = f"{option}={value}"
            return out
    raise ValueError(f"{option} is not in the command line")


def replace_conf(argv: list[str], flag: str, key: str, value: str) -> list[str]:
    """argv with `flag key=value` (--conf, --hiveconf) set: replaced, or added before the
    application's own arguments."""
    out = list(argv)
    for i, arg in enumerate(out[:-1]):
        if arg == flag and out[i + 1].split("=", 1)[0] == key:
            out[i + 1] = f"{key}={value}"
            return out
    return [*out, flag, f"{key}={value}"]


def master_url(settings: Settings) -> str:
    return f"spark://{MASTER_HOST}:{settings.spark_master_port}"


def warehouse(settings: Settings) -> str:
    """Silver and gold beside bronze in the lake (S3): every executor reaches them."""
    if not settings.lake_url.startswith("s3://"):
        raise SettingsError(
            f"CINELAKE_LAKE_URL={settings.lake_url} is not on S3: in compose every Spark worker "
            "is its own host, and only an s3:// lake is shared by all of them"
        )
    return lake.spark_url(settings.lake_url).rstrip("/") + "/warehouse"


def _exec(argv: list[str], env: dict[str, str]) -> None:
    sys.stdout.flush()
    os.execvpe(argv[0], argv, env)


def _spark_env(settings: Settings) -> dict[str, str]:
    """spark_env of `cinelake up`, without its loopback: a container binds its own address."""
    env = spark_runtime.spark_env(settings)
    env.pop("SPARK_LOCAL_IP", None)
    return env


def serve_mariadb(settings: Settings) -> None:
    """`cinelake up`'s MariaDB: data directory, users (here from any host of the network),
    Hive's schema, all on loopback first; then the same server on every interface."""
    mariadb.start(settings, CLIENT_HOSTS)
    mariadb.daemon(settings).stop()
    argv = replace_option(mariadb.server_command(settings), "--bind-address", ALL_INTERFACES)
    _exec(argv, mariadb._owner_only_env())


def serve_spark_master(settings: Settings) -> None:
    # The master needs no salt: only the JVMs that run SQL get it (the workers' executors).
    env = {
        **process_environment(),
        "SPARK_HOME": str(spark_runtime.spark_home()),
        "SPARK_CONF_DIR": str(spark_runtime.conf_dir(settings)),
    }
    spark_runtime.conf_dir(settings).mkdir(parents=True, exist_ok=True)
    _exec(replace_option(spark_cluster.master_command(settings), "--host", hostname()), env)


def serve_spark_worker(settings: Settings) -> None:
    argv = spark_cluster.worker_command(settings, 1)
    argv = replace_option(argv, "--host", hostname())
    argv = replace_option(argv, "--webui-port", str(WORKER_UI_PORT))
    argv[-1] = master_url(settings)
    spark_cluster.work_dir(settings, 1).mkdir(parents=True, exist_ok=True)
    spark_runtime.conf_dir(settings).mkdir(parents=True, exist_ok=True)
    _exec(argv, _spark_env(settings))


def serve_spark_thrift(settings: Settings) -> None:
    """The Thrift server, driver of the compose cluster; its catalog is the `mysql` service."""
    if settings.spark_workers == 0:  # the executor confs of cluster mode
        settings = settings.with_overrides(spark_workers=1)
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    metastore.write_hive_site(settings, settings.mysql_host)
    argv = spark_thrift.submit_command(settings, instance=secrets.token_hex(8))
    argv = replace_option(argv, "--master", master_url(settings))
    for key, value in (
        ("spark.driver.host", hostname()),
        ("spark.driver.bindAddress", ALL_INTERFACES),
        ("spark.sql.warehouse.dir", warehouse(settings)),
    ):
        argv = replace_conf(argv, "--conf", key, value)
    argv = replace_conf(argv, "--hiveconf", "hive.server2.thrift.bind.host", ALL_INTERFACES)
    _exec(argv, _spark_env(settings))


def serve_s3(settings: Settings) -> None:
    """moto's S3 server, its buckets saved in <home>/s3 when compose stops it and loaded at
    start (s3_standin.py): `down` and `up` keep the lake. A real bucket for a lake that must
    outlive a kill (docs/containers.md)."""
    s3_standin.serve(ALL_INTERFACES, S3_PORT, settings.home / "s3")


def make_lake_bucket(settings: Settings) -> None:
    """The lake's bucket, made when missing (moto starts empty; a real bucket is left as is)."""
    import boto3
    import botocore.exceptions

    warehouse(settings)  # an s3:// lake, or the error saying why
    bucket = settings.lake_url.removeprefix("s3://").split("/", 1)[0]
    client = boto3.client("s3", endpoint_url=settings.aws_endpoint_url or None)
    try:
        try:
            client.head_bucket(Bucket=bucket)
            print(f"bucket {bucket} is there")
        except botocore.exceptions.ClientError:
            client.create_bucket(Bucket=bucket)
            print(f"bucket {bucket} made")
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise ServiceError(f"the lake's bucket {bucket} cannot be reached or made: {exc}") from None


def thrift_healthy(settings: Settings) -> bool:
    """`select 1` answers over Thrift on this container's network address (compose's
    healthcheck; the other services' are shell tests of their ports)."""
    return spark_thrift.select_one(settings.thrift_port, hostname())


ROLES: dict[str, Callable[[Settings], None]] = {
    "mariadb": serve_mariadb,
    "spark-master": serve_spark_master,
    "spark-worker": serve_spark_worker,
    "spark-thrift": serve_spark_thrift,
    "s3": serve_s3,
    "lake-bucket": make_lake_bucket,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=[*ROLES, "health"])
    parser.add_argument("checked", nargs="?", choices=["spark-thrift"], help="with `health`")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if args.role == "health":
            return 0 if thrift_healthy(settings) else 1
        ROLES[args.role](settings)
    except (ServiceError, SettingsError) as exc:
        print(f"cinelake: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
