"""Settings come from the environment, with development defaults."""

from __future__ import annotations

import pytest

from ingestion.config import load_settings
from ingestion.services.mariadb import bootstrap_sql


def test_defaults_live_in_the_project(monkeypatch):
    for name in ("CINELAKE_HOME", "CINELAKE_THRIFT_PORT", "CINELAKE_MYSQL_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.home.name == ".cinelake"
    assert (settings.thrift_port, settings.mysql_port) == (10000, 3307)


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.setenv("CINELAKE_THRIFT_PORT", "12345")
    settings = load_settings()
    assert settings.home == tmp_path and settings.thrift_port == 12345
    assert settings.mysql_socket == tmp_path / "mariadb" / "mysqld.sock"


def test_non_numeric_port_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CINELAKE_MYSQL_PORT", "three-three-oh-seven")
    with pytest.raises(ValueError, match="CINELAKE_MYSQL_PORT=.three-three-oh-seven.: must be an integer from 1 to 65535"):
        load_settings()


def test_bootstrap_sql_escapes_passwords(monkeypatch):
    monkeypatch.setenv("CINELAKE_MYSQL_ETL_PASSWORD", "it's\\secret")
    sql = bootstrap_sql(load_settings())
    assert "identified by 'it\\'s\\\\secret'" in sql
    assert "grant select, show view on `shop`.* to 'etl'@'127.0.0.1'" in sql
