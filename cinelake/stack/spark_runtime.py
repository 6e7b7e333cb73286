"""What every Spark JVM of the local stack needs: Java 17+, the pip `pyspark` wheel as
SPARK_HOME (it ships bin/ and the jars), and an environment bound to loopback."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from cinelake.config import LOOPBACK, Settings, load_settings, process_environment
from cinelake.stack.process import ServiceError

MIN_JAVA_MAJOR = 17
# The environment variable Spark JVMs hold the PII salt in (macros/utils/pii_salt_sql.sql).
PII_SALT_ENV = "CINELAKE_PII_SALT"


def spark_home() -> Path:
    """SPARK_HOME is the installed pyspark package: it ships bin/ and the jars."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def spark_bin(name: str) -> str:
    """A launcher script of the pyspark wheel's bin/ (spark-submit, spark-class)."""
    return str(spark_home() / "bin" / name)


def conf_dir(settings: Settings) -> Path:
    """SPARK_CONF_DIR of the JVMs we start; the `session` dbt target puts it on its class path."""
    return settings.spark_dir / "conf"


def spark_env(settings: Settings) -> dict[str, str]:
    """Environment of every Spark JVM we start: our Java, our conf dir, loopback only, and
    the PII salt."""
    java = java_binary()
    return {
        **process_environment(),
        "SPARK_HOME": str(spark_home()),
        "JAVA_HOME": str(Path(java).resolve().parent.parent),
        "SPARK_LOCAL_IP": LOOPBACK,  # also binds the web UIs to loopback
        # Ours only, no user-wide conf: it holds hive-site.xml (cinelake/stack/metastore.py).
        "SPARK_CONF_DIR": str(conf_dir(settings)),
        # SQL reads the salt by name at run time (macros/utils/pii_salt_sql.sql), in the driver or
        # in executors, which inherit their worker's environment: in no command line, conf,
        # SQL text or log.
        PII_SALT_ENV: settings.ensure_pii_salt(),
    }


def java_binary() -> str:
    """Path of a Java >= 17 binary, or a clear error saying how to get one."""
    java_home = load_settings().java_home
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
