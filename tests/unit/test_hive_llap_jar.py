"""Installing hive-llap-common from a source archive: checked, atomic, idempotent.

The download is replaced by a local archive; the real one runs in scripts/bootstrap.sh and
the Thrift server's integration test shows the class it provides is loaded.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from cinelake.stack import hive_llap_jar
from cinelake.stack.process import ServiceError

JAR_BYTES = b"PK\x03\x04 stand-in jar bytes"


def archive_with(tmp: Path, members: dict[str, bytes]) -> Path:
    path = tmp / "pyspark-3.5.8.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def pinned(monkeypatch):
    """Pin the stand-in bytes' digest, as the module pins the real jar's."""
    monkeypatch.setattr(hive_llap_jar, "JAR_SHA256", hashlib.sha256(JAR_BYTES).hexdigest())


def downloader(members: dict[str, bytes], calls: list[str]):
    def download(requirement: str, into: Path) -> Path:
        calls.append(requirement)
        return archive_with(into, members)

    return download


def test_installs_the_member_of_the_source_archive(tmp_path, pinned):
    calls: list[str] = []
    dest = tmp_path / "jars" / hive_llap_jar.JAR_NAME
    download = downloader({hive_llap_jar.SOURCE_MEMBER: JAR_BYTES}, calls)
    assert hive_llap_jar.install(dest, download) == dest
    assert dest.read_bytes() == JAR_BYTES
    assert calls == [hive_llap_jar.SOURCE_REQUIREMENT]
    # A second install finds it and downloads nothing.
    hive_llap_jar.install(dest, download)
    assert calls == [hive_llap_jar.SOURCE_REQUIREMENT]
    assert sorted(p.name for p in dest.parent.iterdir()) == [hive_llap_jar.JAR_NAME]


def test_a_jar_with_another_digest_is_refused_and_not_written(tmp_path, pinned):
    dest = tmp_path / hive_llap_jar.JAR_NAME
    download = downloader({hive_llap_jar.SOURCE_MEMBER: JAR_BYTES + b"tampered"}, [])
    with pytest.raises(ServiceError, match="sha256"):
        hive_llap_jar.install(dest, download)
    assert list(tmp_path.iterdir()) == []


def test_an_archive_without_the_jar_is_a_clear_error(tmp_path, pinned):
    download = downloader({"pyspark-3.5.8/setup.py": b""}, [])
    with pytest.raises(ServiceError, match="has no pyspark-3.5.8/deps/jars/"):
        hive_llap_jar.install(tmp_path / hive_llap_jar.JAR_NAME, download)


def test_a_changed_jar_on_disk_is_replaced(tmp_path, pinned):
    dest = tmp_path / hive_llap_jar.JAR_NAME
    dest.write_bytes(b"truncated")
    hive_llap_jar.install(dest, downloader({hive_llap_jar.SOURCE_MEMBER: JAR_BYTES}, []))
    assert dest.read_bytes() == JAR_BYTES


def test_require_names_the_install_command_when_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(hive_llap_jar, "jar_path", lambda: tmp_path / hive_llap_jar.JAR_NAME)
    with pytest.raises(ServiceError, match=r"-m cinelake\.stack\.hive_llap_jar"):
        hive_llap_jar.require()


def test_the_set_up_installed_the_real_jar():
    """scripts/bootstrap.sh ran before the tests: the pinned jar is in the environment."""
    assert hive_llap_jar.is_installed(), hive_llap_jar.jar_path()
