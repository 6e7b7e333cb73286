"""Spark's extra jars: resolved by Maven from the pinned pom, swapped in whole, idempotent,
and a clear error when missing."""

from __future__ import annotations

import sys

import pytest

from cinelake.stack import spark_jars
from cinelake.stack.process import ServiceError


def fake_maven(calls: list[str], skip: str | None = None):
    def fetch(pom, into):
        calls.append(pom.name)
        for name in spark_jars.expected_files(pom):
            if name != skip:
                (into / name).write_bytes(b"jar " + name.encode())

    return fetch


def test_the_pom_pins_delta_for_the_installed_pyspark_line_and_the_jars_spark_lacks():
    import pyspark

    names = spark_jars.expected_jars()
    major_minor = ".".join(pyspark.__version__.split(".")[:2])
    delta = [n for n in names if n.startswith("delta-spark_2.13-")]
    # Delta 4.0.x goes with Spark 4.0.x (and so on): the same major.minor.
    assert delta and delta[0].removeprefix("delta-spark_2.13-").startswith(major_minor), names
    for prefix in ("delta-storage-", "hive-llap-common-", "hadoop-aws-", "bundle-"):
        assert any(n.startswith(prefix) for n in names), prefix
    # hadoop-aws must be the Hadoop that pyspark ships.
    jars = {p.name for p in (spark_jars.Path(pyspark.__file__).parent / "jars").iterdir()}
    hadoop = next(n for n in jars if n.startswith("hadoop-client-api-"))
    assert f"hadoop-aws-{hadoop.removeprefix('hadoop-client-api-')}" in names


def test_install_fetches_once_and_swaps_the_folder_in_whole(tmp_path):
    calls: list[str] = []
    dest = tmp_path / "jars"
    assert spark_jars.install(dest, fetch=fake_maven(calls)) == dest
    assert spark_jars.is_installed(dest)
    spark_jars.install(dest, fetch=fake_maven(calls))
    assert calls == [spark_jars.POM.name]
    # Nothing else next to it: no staging folder left behind.
    assert [p.name for p in tmp_path.iterdir()] == ["jars"]


def test_a_changed_pom_fetches_again(tmp_path):
    calls: list[str] = []
    dest = tmp_path / "jars"
    spark_jars.install(dest, fetch=fake_maven(calls))
    (dest / spark_jars.STAMP).write_text("an older pom\n")
    assert not spark_jars.is_installed(dest)
    spark_jars.install(dest, fetch=fake_maven(calls))
    assert len(calls) == 2 and spark_jars.is_installed(dest)


def test_an_incomplete_fetch_installs_nothing_and_keeps_the_old_set(tmp_path):
    dest = tmp_path / "jars"
    spark_jars.install(dest, fetch=fake_maven([]))
    (dest / spark_jars.STAMP).write_text("an older pom\n")
    before = sorted(p.name for p in dest.iterdir())
    missing = spark_jars.expected_jars()[0]
    with pytest.raises(ServiceError, match=missing):
        spark_jars.install(dest, fetch=fake_maven([], skip=missing))
    assert sorted(p.name for p in dest.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["jars"]


def test_missing_jars_are_one_error_with_the_command_that_fixes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(spark_jars, "jar_dir", lambda: tmp_path / "none")
    with pytest.raises(ServiceError, match=r"-m cinelake\.stack\.spark_jars"):
        spark_jars.require()


def test_missing_maven_is_one_error_with_the_command_that_fixes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(spark_jars.shutil, "which", lambda name: None)
    with pytest.raises(ServiceError, match="apt-get install maven"):
        spark_jars.maven_fetch(spark_jars.POM, tmp_path)


def test_set_up_installed_them_in_this_environment():
    assert spark_jars.is_installed(), spark_jars.jar_dir()
    assert all(p.is_relative_to(sys.prefix) for p in spark_jars.require())
