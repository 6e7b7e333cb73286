"""The local Spark Thrift server, launched from the jars of the pip `pyspark` wheel.

Its catalog is the Hive metastore in MariaDB (cinelake/stack/metastore.py), which other Spark
JVMs (the `session` dbt target, a pyspark shell) share; its warehouse is under
`$CINELAKE_HOME/spark`.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from cinelake import lake
from cinelake.config import LOOPBACK, Settings
from cinelake.stack import metastore, spark_cluster, spark_jars, spark_runtime, sql_client
from cinelake.stack.process import Daemon, Launch, ServiceError, port_open

THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
# The fixed Spark properties, shared with the compose spark-thrift service.
SPARK_DEFAULTS = Path(__file__).resolve().parent / "spark-defaults.conf"
LOG4J2 = Path(__file__).resolve().parent / "spark-log4j2.properties"
NAME = "spark-thrift"
# A random token per start, set on the server's command line and kept in the run dir, that the
# start-up probe asks the server for: the answer proves the server on the port is the one this
# start launched. Neither the name nor a hex value can match spark.redaction.regex
# ((?i)secret|password|token|access[.]?key) or spark.sql.redaction.options.regex ((?i)url),
# whose matches `set` answers as "*********(redacted)": any path can (a home under .../secrets/).
INSTANCE_CONF = "spark.cinelake.instance"


def daemon(settings: Settings) -> Daemon:
    return Daemon.of(settings, NAME, cmdline_marker=THRIFT_SERVER_CLASS)


def master(settings: Settings) -> str:
    """local[*], or the standalone master of `cinelake up --cluster N`."""
    if settings.spark_workers > 0:
        return spark_cluster.master_url(settings)
    return "local[*]"


def instance_file(settings: Settings) -> Path:
    """Where `up` keeps the INSTANCE_CONF token of the server it started last."""
    return settings.run_dir / f"{NAME}.instance"


def submit_command(settings: Settings, instance: str) -> list[str]:
    """The spark-submit command line of the Thrift server: the fixed properties from
    SPARK_DEFAULTS, this stack's own values as --conf, and its instance token."""
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
        # The same in hex, which no redaction pattern of Spark's matches: a lake under a path
        # with "secret", "token"... is answered as "*********(redacted)" above.
        "spark.cinelake.lake_root_hex": lake.spark_url(settings.lake_url).encode().hex(),
        INSTANCE_CONF: instance,
        **lake.spark_s3a_confs(settings.lake_url, settings.aws_endpoint_url),
    }
    # Delta Lake, hive-llap-common, S3A, the metastore's JDBC driver (see
    # cinelake/stack/spark_jars.py)
    jars = spark_jars.class_path(spark_runtime.spark_home())
    if settings.spark_workers > 0:
        # One executor per worker, as big as the worker offers.
        confs["spark.executor.cores"] = str(settings.spark_worker_cores)
        confs["spark.executor.memory"] = settings.spark_executor_memory
        # Executors run Delta's and S3A's code too; the workers share this host's paths.
        confs["spark.executor.extraClassPath"] = jars
        if settings.spark_java_options:
            confs["spark.executor.extraJavaOptions"] = settings.spark_java_options
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
        # the jars on the class path from the start, before the session extensions and the
        # Hive client load
        "--driver-class-path",
        jars,
        "--driver-java-options",
        f"-Dlog4j2.configurationFile={LOG4J2} {settings.spark_java_options}".rstrip(),
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


# A probe (status, start-up) that has no session within this many seconds says "not
# answering": `cinelake status` must answer within seconds whatever the server is doing.
PROBE_TIMEOUT_S = 8


def _rows(port: int, sql: str, host: str = LOOPBACK) -> list[tuple]:
    """The rows of one statement over Thrift; raises whatever the connection or Spark raises."""
    with contextlib.closing(
        sql_client.connect(host, port, PROBE_TIMEOUT_S, PROBE_TIMEOUT_S)
    ) as conn:
        cursor = conn.cursor()
        cursor.execute(sql)
        return cursor.fetchall()


def select_one(port: int, host: str = LOOPBACK) -> bool:
    """True when `select 1` over Thrift returns 1: the server is really ready."""
    if not port_open(port, host):
        return False
    try:
        return _rows(port, "select 1", host) == [(1,)]
    except Exception:  # noqa: BLE001 - any failure here only means "not ready"
        return False


@dataclass
class InstanceProbe:
    """The start-up probe: ready when the server on the port answers `set INSTANCE_CONF` with
    the token this start gave it. Two stacks started at the same moment on one port both find
    it free; the second's server then fails to bind, and without this check the first's would
    answer for it. It remembers its last answer, for the error of a start that times out."""

    port: int
    instance: str
    last_answer: str = "none (the port never opened)"

    def __call__(self) -> bool:
        if not port_open(self.port):
            return False
        try:
            rows = _rows(self.port, f"set {INSTANCE_CONF}")
        except Exception as exc:  # noqa: BLE001 - any failure here only means "not ready yet"
            self.last_answer = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            return False
        self.last_answer = repr(rows)
        return rows == [(INSTANCE_CONF, self.instance)]

    def waiting_for(self) -> str:
        return (
            f"`set {INSTANCE_CONF}` over Thrift on {LOOPBACK}:{self.port} to answer "
            f"{self.instance} (this start's token); last answer: {self.last_answer}"
        )


def ready_as_ours(settings: Settings) -> bool:
    """True when the server on our port is ready and is the one our last `up` started."""
    try:
        instance = instance_file(settings).read_text().strip()
    except FileNotFoundError:
        return False
    return InstanceProbe(settings.thrift_port, instance)()


def start(settings: Settings) -> tuple[int, bool]:
    """Start the server unless ours already runs; return (pid, started_now)."""
    return daemon(settings).ensure_running(
        [(settings.thrift_port, "the Spark Thrift server", "CINELAKE_THRIFT_PORT")],
        lambda: _launch(settings),
        settings.start_timeout_s,
    )


def _launch(settings: Settings) -> Launch:
    """hive-site.xml written, and a new instance token that the start-up probe asks for."""
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    metastore.write_hive_site(settings)
    env = spark_runtime.spark_env(settings)
    instance = secrets.token_hex(8)
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    instance_file(settings).write_text(f"{instance}\n")
    probe = InstanceProbe(settings.thrift_port, instance)
    return Launch(
        submit_command(settings, instance), settings.spark_dir, probe, env, probe.waiting_for
    )
