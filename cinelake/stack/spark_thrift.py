"""The local Spark Thrift server, launched from the jars of the pip `pyspark` wheel.

Its catalog is the Hive metastore in MariaDB (cinelake/stack/metastore.py), which other Spark
JVMs (the `session` dbt target, a pyspark shell) share; its warehouse is under
`$CINELAKE_HOME/spark`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from cinelake import lake
from cinelake.config import LOOPBACK, Settings
from cinelake.stack import metastore, spark_cluster, spark_jars, spark_runtime
from cinelake.stack.process import Daemon, ServiceError, ensure_port_free, port_open

THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
# The fixed Spark properties, shared with the compose spark-thrift service.
SPARK_DEFAULTS = Path(__file__).resolve().parent / "spark-defaults.conf"
NAME = "spark-thrift"


def daemon(settings: Settings) -> Daemon:
    return Daemon.of(settings, NAME, cmdline_marker=THRIFT_SERVER_CLASS)


def master(settings: Settings) -> str:
    """local[*], or the standalone master of `cinelake up --cluster N`."""
    if settings.spark_workers > 0:
        return spark_cluster.master_url(settings)
    return "local[*]"


def submit_command(settings: Settings) -> list[str]:
    """The spark-submit command line of the Thrift server: the fixed properties from
    SPARK_DEFAULTS, this stack's own values as --conf."""
    # The metastore's connection is not here but in hive-site.xml (metastore.write_hive_site),
    # which the JVM finds in its SPARK_CONF_DIR: the password stays off the command line.
    confs = {
        "spark.sql.warehouse.dir": str(settings.spark_dir / "warehouse"),
        "spark.driver.host": LOOPBACK,
        "spark.driver.bindAddress": LOOPBACK,
        "spark.ui.port": str(settings.spark_ui_port),
        "spark.sql.shuffle.partitions": str(settings.spark_shuffle_partitions),
        # Where bronze lives, for dbt's register_bronze_sources macro (`set spark.cinelake...`).
        "spark.cinelake.lake_root": lake.spark_url(settings.lake_url),
        **lake.spark_s3a_confs(settings.lake_url, settings.aws_endpoint_url),
    }
    if settings.spark_workers > 0:
        # One executor per worker, as big as the worker offers.
        confs["spark.executor.cores"] = str(settings.spark_worker_cores)
        confs["spark.executor.memory"] = settings.spark_executor_memory
        # Executors run Delta's and S3A's code too; the workers share this host's paths.
        confs["spark.executor.extraClassPath"] = spark_jars.class_path()
    argv = [
        spark_runtime.spark_bin("spark-submit"),
        "--class",
        THRIFT_SERVER_CLASS,
        "--name",
        "cinelake-thrift",
        "--master",
        master(settings),
        "--properties-file",
        str(SPARK_DEFAULTS),
        "--driver-memory",
        settings.spark_driver_memory,
        # Delta Lake, hive-llap-common, S3A, the metastore's JDBC driver (see
        # cinelake/stack/spark_jars.py): on the class path from the start, before the session
        # extensions and the Hive client load.
        "--driver-class-path",
        spark_jars.class_path(),
    ]
    for key, value in confs.items():
        argv += ["--conf", f"{key}={value}"]
    argv += [
        "spark-internal",
        "--hiveconf",
        f"hive.server2.thrift.bind.host={LOOPBACK}",
        "--hiveconf",
        f"hive.server2.thrift.port={settings.thrift_port}",
    ]
    return argv


def running_master(pid: int) -> str:
    """The --master of our running server, read from its command line."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    return argv[argv.index("--master") + 1] if "--master" in argv else "local[*]"


def preflight(settings: Settings) -> None:
    """Java 17+, and no running server in another mode than the one asked for: `up --cluster
    N` must not silently keep a server that runs in local mode. And the jars set-up adds."""
    spark_runtime.preflight()
    spark_jars.require()
    metastore.refuse_derby_leftovers(settings)
    pid = daemon(settings).running_pid()
    if pid is not None and settings.spark_workers > 0 and running_master(pid) != master(settings):
        raise ServiceError(
            f"the Spark Thrift server already runs with master {running_master(pid)}; "
            "stop it with `cinelake down`, then `cinelake up --cluster "
            f"{settings.spark_workers}`"
        )


def _rows(port: int, sql: str, host: str = LOOPBACK) -> list[tuple] | None:
    """The rows of one statement over Thrift, or None when the server does not answer."""
    if not port_open(port, host):
        return None
    from pyhive import hive

    try:
        with contextlib.closing(hive.connect(host=host, port=port, username="cinelake")) as conn:
            cursor = conn.cursor()
            cursor.execute(sql)
            return cursor.fetchall()
    except Exception:  # noqa: BLE001 - any failure here only means "not ready yet"
        return None


def select_one(port: int, host: str = LOOPBACK) -> bool:
    """True when `select 1` over Thrift returns 1: the server is really ready."""
    return _rows(port, "select 1", host) == [(1,)]


def ready_as_ours(settings: Settings) -> bool:
    """True when the server on our port is ready and is ours: it echoes this stack's lake
    (spark.cinelake.lake_root, set on its command line). Two stacks started at the same
    moment on one port both find it free; the second's server then fails to bind, and
    without this check the first's answers for it."""
    wanted = lake.spark_url(settings.lake_url)
    return _rows(settings.thrift_port, "set spark.cinelake.lake_root") == [
        ("spark.cinelake.lake_root", wanted)
    ]


def start(settings: Settings) -> tuple[int, bool]:
    """Start the server unless ours already runs; return (pid, started_now)."""
    proc = daemon(settings)
    pid = proc.running_pid()
    if pid is not None:
        return pid, False
    ensure_port_free(settings.thrift_port, "the Spark Thrift server", "CINELAKE_THRIFT_PORT")
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    metastore.write_hive_site(settings)
    env = spark_runtime.spark_env(settings)
    pid = proc.start(submit_command(settings), cwd=settings.spark_dir, env=env)
    proc.wait_ready(pid, lambda: ready_as_ours(settings), settings.start_timeout_s)
    return pid, True
