"""The jars Cinelake adds to Spark, fetched from Maven Central by Maven from a pinned list.

What and why (the list is `spark-jars.pom.xml`, next to this file):
- Delta Lake (`delta-spark_2.13`, `delta-storage`): silver and gold are Delta tables, so a
  rebuild is one atomic commit and readers never see a table missing or half-written.
- `hive-llap-common`: Spark 4.0 dropped it from its distribution (SPARK-51029), but the Hive
  2.3 code inside the Thrift server still initialises Hive's `FunctionRegistry` on some session
  closes, and that registry links a UDTF whose class lives in this jar. Without it the close
  fails with a NoClassDefFoundError (a few times in a thousand sessions), failing the dbt node
  that owned the connection.
- `hadoop-aws` and the AWS SDK bundle: Spark itself reads and writes an `s3a://` lake.
- `mariadb-java-client`: the JDBC driver of the Hive metastore database.
- `hive-standalone-metastore` (`-bin.tar.gz`, not on any class path): Hive's official MySQL
  scripts of the metastore schema (cinelake/stack/metastore.py).

How. `python -m cinelake.stack.spark_jars` runs `mvn dependency:copy-dependencies` on the pom
(Maven checks the checksums and applies the user's settings.xml) into a temporary folder next
to the destination, then swaps it into place: an interrupted fetch never leaves a partial set.
A stamp holds the pom's sha256, so a re-run is a no-op until the pom changes.
scripts/bootstrap.sh runs it (installing Debian's `maven` when missing); the Dockerfile runs
the same pom in a build stage.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from cinelake.stack.process import ServiceError

POM = Path(__file__).resolve().parent / "spark-jars.pom.xml"
STAMP = ".pom-sha256"
INSTALL_COMMAND = f"{Path(sys.executable).name} -m cinelake.stack.spark_jars"
_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def jar_dir() -> Path:
    """Inside the Python environment: installed with it, removed with it."""
    return Path(sys.prefix) / "share" / "cinelake" / "jars"


def pom_sha256(pom: Path = POM) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()


def expected_files(pom: Path = POM) -> list[str]:
    """File names Maven writes for the pom's dependencies: artifactId-version[-classifier].type
    (the jars, and the Hive metastore's schema scripts as a tar.gz)."""
    root = ET.parse(pom).getroot()
    names = []
    for dep in root.findall("m:dependencies/m:dependency", _NS):
        artifact = dep.findtext("m:artifactId", namespaces=_NS)
        version = dep.findtext("m:version", namespaces=_NS)
        classifier = dep.findtext("m:classifier", namespaces=_NS)
        kind = dep.findtext("m:type", default="jar", namespaces=_NS)
        names.append(f"{artifact}-{version}{'-' + classifier if classifier else ''}.{kind}")
    return names


def expected_jars(pom: Path = POM) -> list[str]:
    """The class path's part of the pom: its jars."""
    return [name for name in expected_files(pom) if name.endswith(".jar")]


def is_installed(dest: Path | None = None, pom: Path = POM) -> bool:
    dest = dest or jar_dir()
    stamp = dest / STAMP
    return (
        stamp.is_file()
        and stamp.read_text().strip() == pom_sha256(pom)
        and all((dest / name).is_file() for name in expected_files(pom))
    )


def require() -> list[Path]:
    """The installed jars, or one clear error saying how to install them."""
    dest = jar_dir()
    if not is_installed(dest):
        missing = [name for name in expected_files() if not (dest / name).is_file()]
        what = f"{', '.join(missing)} missing" if missing else "out of date with the pinned list"
        raise ServiceError(
            f"Spark's extra jars are {what} in {dest} (Delta Lake, Hive, S3, MariaDB JDBC); "
            f"install them with `{INSTALL_COMMAND}` (scripts/bootstrap.sh does this)"
        )
    return [dest / name for name in expected_jars()]


def class_path(spark_home: Path) -> str:
    """The jars as one class path, for the driver and the executors (same host paths).

    Spark's own SLF4J API comes first. The AWS SDK bundle carries an unshaded SLF4J 1.x API;
    ahead of Spark's 2.x on the class path, it finds no 1.x binding and silences every log line
    of the JVM (SLF4J's no-operation logger): a server that fails would leave no reason in its
    log."""
    slf4j = sorted((spark_home / "jars").glob("slf4j-api-2.*.jar"))
    return ":".join(str(path) for path in [*slf4j[-1:], *require()])


def maven_fetch(pom: Path, into: Path) -> None:
    """Resolve the pom's dependencies with Maven into `into`."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServiceError(
            "Maven is needed to fetch Spark's extra jars but `mvn` was not found: "
            "install it with `apt-get install maven` (scripts/bootstrap.sh does this)"
        )
    result = subprocess.run(
        [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
        + [f"-DoutputDirectory={into}", "-Dmdep.useRepositoryLayout=false"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise ServiceError(f"Maven could not fetch the jars of {pom.name}:\n{detail}")


def install(dest: Path | None = None, pom: Path = POM, fetch=maven_fetch) -> Path:
    """Fetch the pinned jars into `dest` unless they are already there; swap the whole folder
    in at once, so an interrupted install leaves the old set (or none), never a partial one."""
    dest = dest or jar_dir()
    if is_installed(dest, pom):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jars-", dir=dest.parent))
    try:
        fetch(pom, staging)
        missing = [name for name in expected_files(pom) if not (staging / name).is_file()]
        if missing:
            raise ServiceError(f"Maven did not write {', '.join(missing)}")
        (staging / STAMP).write_text(pom_sha256(pom) + "\n")
        old = dest.with_name(dest.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, help=f"where to put them (default {jar_dir()})")
    args = parser.parse_args(argv)
    dest = args.dest or jar_dir()
    if is_installed(dest):
        return 0
    try:
        print(f"fetching Spark's extra jars with Maven into {dest}", file=sys.stderr)
        install(dest)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
