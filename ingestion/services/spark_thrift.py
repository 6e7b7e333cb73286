"""The local Spark Thrift server, launched from the jars of the pip `pyspark` wheel.

One JVM owns the Derby metastore under `$CINELAKE_HOME/spark`, so every SQL statement of the
project (dbt, bronze registration, tests) goes through this server over Thrift.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from ingestion.config import LOOPBACK, Settings
from ingestion.services.process import Daemon, ServiceError, ensure_port_free, port_open

THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
MIN_JAVA_MAJOR = 17
NAME = "spark-thrift"


def daemon(settings: Settings) -> Daemon:
    return Daemon(
        name=NAME,
        pid_file=settings.run_dir / f"{NAME}.pid",
        log_file=settings.log_dir / f"{NAME}.log",
        cmdline_marker=THRIFT_SERVER_CLASS,
    )


def spark_home() -> Path:
    """SPARK_HOME is the installed pyspark package: it ships bin/ and the jars."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def java_binary() -> str:
    """Path of a Java >= 17 binary, or a clear error saying how to get one."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    hint = "install it with `apt-get install openjdk-17-jre-headless` or point JAVA_HOME at one"
    if not java or not Path(java).exists():
        raise ServiceError(f"Java {MIN_JAVA_MAJOR}+ is needed by Spark but was not found: {hint}")
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    major = int(match.group(1)) if match else 0
    if major == 1 and match and match.group(2):  # "1.8.0" style
        major = int(match.group(2))
    if major < MIN_JAVA_MAJOR:
        raise ServiceError(
            f"Spark 4 needs Java {MIN_JAVA_MAJOR}+, but {java} is Java {major or 'unknown'}: {hint}"
        )
    return java


def preflight() -> None:
    """Fail before anything starts when Java 17+ is missing."""
    java_binary()


def submit_command(settings: Settings) -> list[str]:
    """The spark-submit command line of the Thrift server (local[*] master)."""
    spark_dir = settings.spark_dir
    metastore_url = f"jdbc:derby:;databaseName={spark_dir / 'metastore_db'};create=true"
    confs = {
        "spark.sql.warehouse.dir": str(spark_dir / "warehouse"),
        "spark.sql.catalogImplementation": "hive",
        "spark.hadoop.javax.jdo.option.ConnectionURL": metastore_url,
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir}",
        "spark.driver.host": LOOPBACK,
        "spark.driver.bindAddress": LOOPBACK,
        "spark.ui.port": str(settings.spark_ui_port),
        "spark.sql.shuffle.partitions": str(settings.spark_shuffle_partitions),
        "spark.sql.adaptive.enabled": "true",
        # MySQL DATETIMEs are UTC (the shop runs with time zone +00:00); bronze declares them
        # as timestamps, read in this session time zone.
        "spark.sql.session.timeZone": "UTC",
        # Where bronze lives, for dbt's register_bronze_sources macro (`set spark.cinelake...`).
        # Not "...url": Spark redacts the values of confs whose name matches (?i)url.
        "spark.cinelake.lake_root": settings.lake_url,
        # Sessions opened by dbt are many and short: keep the server's bookkeeping small.
        "spark.sql.thriftserver.ui.retainedSessions": "50",
        "spark.sql.thriftserver.ui.retainedStatements": "200",
    }
    argv = [
        str(spark_home() / "bin" / "spark-submit"),
        "--class",
        THRIFT_SERVER_CLASS,
        "--name",
        "cinelake-thrift",
        "--master",
        "local[*]",
        "--driver-memory",
        settings.spark_driver_memory,
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


def select_one(port: int, host: str = LOOPBACK) -> bool:
    """True when `select 1` over Thrift returns 1: the server is really ready."""
    if not port_open(port, host):
        return False
    from pyhive import hive

    try:
        with contextlib.closing(hive.connect(host=host, port=port, username="cinelake")) as conn:
            cursor = conn.cursor()
            cursor.execute("select 1")
            return cursor.fetchall() == [(1,)]
    except Exception:  # noqa: BLE001 - any failure here only means "not ready yet"
        return False


def start(settings: Settings) -> tuple[int, bool]:
    """Start the server unless ours already runs; return (pid, started_now)."""
    proc = daemon(settings)
    pid = proc.running_pid()
    if pid is not None:
        return pid, False
    java = java_binary()
    ensure_port_free(settings.thrift_port, "the Spark Thrift server", "CINELAKE_THRIFT_PORT")
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "JAVA_HOME": str(Path(java).resolve().parent.parent),
        "SPARK_LOCAL_IP": LOOPBACK,  # also binds the Spark UI to loopback
        "SPARK_CONF_DIR": str(settings.spark_dir / "conf"),  # ignore any user-wide conf
    }
    pid = proc.start(submit_command(settings), cwd=settings.spark_dir, env=env)
    proc.wait_ready(pid, lambda: select_one(settings.thrift_port), settings.start_timeout_s)
    return pid, True
