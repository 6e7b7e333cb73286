"""The catalog's set-up without a server: Hive's scripts in schematool's order from the pinned
archive, the metastore user confined to its database, hive-site.xml owner-only."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from cinelake.config import load_settings
from cinelake.stack import mariadb, metastore
from cinelake.stack.process import ServiceError


def test_the_schema_is_hives_scripts_in_order_and_ends_at_the_checked_version():
    sql = metastore.schema_sql()
    steps = re.findall(r"UPDATE VERSION SET SCHEMA_VERSION='([\d.]+)'", sql)
    assert steps == ["2.0.0", "2.1.0", "2.2.0", "2.3.0"]
    assert sql.index("CREATE TABLE IF NOT EXISTS `VERSION`") < sql.index(steps[0])
    # The Unicode text columns come before the last version write: 2.3.0 means whole.
    assert sql.index("VIEW_EXPANDED_TEXT mediumtext character set utf8mb4") < sql.rindex("2.3.0")
    assert steps[-1] == metastore.SCHEMA_VERSION


def test_the_metastore_user_owns_its_database_only(monkeypatch, tmp_path):
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    sql = mariadb.bootstrap_sql(load_settings())
    grants = re.findall(r"grant (.+?) on `(\w+)`\.\* to '(\w+)'@", sql)
    assert {(db, user) for _, db, user in grants if user == metastore.USER} == {
        (metastore.DATABASE, metastore.USER)
    }
    assert f"create database if not exists `{metastore.DATABASE}`" in sql


def test_hive_site_is_owner_only_and_holds_the_connection(monkeypatch, tmp_path):
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.setenv("CINELAKE_MYSQL_PORT", "3399")
    settings = load_settings()
    path = metastore.write_hive_site(settings)
    assert path.stat().st_mode & 0o777 == 0o600
    root = ET.parse(path).getroot()
    properties = {p.findtext("name"): p.findtext("value") for p in root.iter("property")}
    assert properties["javax.jdo.option.ConnectionURL"].startswith(
        "jdbc:mariadb://127.0.0.1:3399/metastore"
    )
    assert properties["javax.jdo.option.ConnectionPassword"] == settings.ensure_metastore_password()
    assert (tmp_path / "secrets" / "metastore_password").stat().st_mode & 0o777 == 0o600
    assert properties["datanucleus.schema.autoCreateAll"] == "false"


def test_a_derby_catalog_of_an_older_cinelake_is_refused_with_the_way_out(monkeypatch, tmp_path):
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    settings = load_settings()
    metastore.refuse_derby_leftovers(settings)  # a fresh home: nothing to say
    (settings.spark_dir / "metastore_db").mkdir(parents=True)
    with pytest.raises(ServiceError) as refused:
        metastore.refuse_derby_leftovers(settings)
    message = str(refused.value)
    assert "Derby catalog" in message and str(settings.spark_dir / "warehouse") in message
