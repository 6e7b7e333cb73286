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
    with pytest.raises(ValueError, match="CINELAKE_MYSQL_PORT must be an integer"):
        load_settings()


def test_bootstrap_sql_escapes_passwords(monkeypatch):
    monkeypatch.setenv("CINELAKE_MYSQL_ETL_PASSWORD", "it's\\secret")
    sql = bootstrap_sql(load_settings())
    assert "identified by 'it\\'s\\\\secret'" in sql
    assert "grant select, show view on `shop`.* to 'etl'@'127.0.0.1'" in sql


def test_robustness_settings_have_defaults(monkeypatch):
    for name in ("CINELAKE_REJECT_RATE_MAX", "CINELAKE_SHOP_LAG_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert (settings.reject_rate_max, settings.shop_lag_s) == (0.2, 3600)


@pytest.mark.parametrize("raw", ["1.5", "-0.1", "twenty percent", "nan"])
def test_reject_rate_max_must_be_a_share(monkeypatch, raw):
    monkeypatch.setenv("CINELAKE_REJECT_RATE_MAX", raw)
    with pytest.raises(ValueError, match=f"CINELAKE_REJECT_RATE_MAX must be .*{raw!r}"):
        load_settings()


@pytest.mark.parametrize(("raw", "message"), [("-60", "0 or more"), ("1h", "an integer")])
def test_shop_lag_must_be_seconds(monkeypatch, raw, message):
    monkeypatch.setenv("CINELAKE_SHOP_LAG_SECONDS", raw)
    with pytest.raises(ValueError, match=f"CINELAKE_SHOP_LAG_SECONDS must be .*{message}"):
        load_settings()
