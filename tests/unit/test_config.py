"""Settings come from the environment, with development defaults; every bad value is one
clear error naming the variable, never a traceback; docs/configuration.md lists every variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cinelake import cli
from cinelake.config import (
    PROJECT_ROOT,
    Settings,
    SettingsError,
    load_settings,
    settings_markdown,
)
from cinelake.stack.mariadb import bootstrap_sql


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
    expected = "CINELAKE_MYSQL_PORT='three-three-oh-seven': must be an integer from 1 to 65535"
    with pytest.raises(ValueError, match=expected):
        load_settings()


def test_an_override_is_checked_by_the_settings_own_bounds(monkeypatch):
    """A flag's value (`up --cluster`) goes through the same checks as the environment's."""
    monkeypatch.setenv("CINELAKE_SPARK_WORKERS", "2")
    settings = load_settings()
    assert settings.with_overrides(spark_workers=3) == settings.model_copy(
        update={"spark_workers": 3}
    )
    expected = "bad setting: CINELAKE_SPARK_WORKERS=65: must be an integer from 0 to 64"
    with pytest.raises(SettingsError, match=expected):
        settings.with_overrides(spark_workers=65)


def test_bootstrap_sql_escapes_passwords(monkeypatch):
    monkeypatch.setenv("CINELAKE_MYSQL_ETL_PASSWORD", "it's\\secret")
    sql = bootstrap_sql(load_settings())
    assert "identified by 'it\\'s\\\\secret'" in sql
    assert "grant select, show view on `shop`.* to 'etl'@'127.0.0.1'" in sql


# A value each variable must refuse. Variables that accept any text (user names, paths, free
# strings) have none: they are listed in FREE_TEXT, and a new variable must be in one of both.
BAD_VALUES = {
    "CINELAKE_LAKE_URL": "ftp://example.org/lake",
    "CINELAKE_LOAD_DATE": "2026-13-45",
    "CINELAKE_DEMO_AS_OF": "yesterday",
    "CINELAKE_PII_SALT": "short'salt",
    "AWS_ENDPOINT_URL": "minio:9000",
    "CINELAKE_CRASH_AT": "sometimes",
    "CINELAKE_BIND_HOST": "localhost.example",
    "CINELAKE_START_TIMEOUT": "0",
    "CINELAKE_DOCS_PORT": "99999",
    "CINELAKE_PROGRESS": "maybe",
    "CINELAKE_FULL_BUILD": "sometimes",
    "CINELAKE_THRIFT_PORT": "-1",
    "CINELAKE_SPARK_UI_PORT": "port",
    "CINELAKE_SPARK_DRIVER_MEMORY": "lots",
    "CINELAKE_SPARK_JAVA_OPTIONS": "TieredStopAtLevel=1",
    "CINELAKE_SPARK_SHUFFLE_PARTITIONS": "0",
    "CINELAKE_SPARK_WORKERS": "-2",
    "CINELAKE_SPARK_MASTER_PORT": "65536",
    "CINELAKE_SPARK_MASTER_UI_PORT": "8080.5",
    "CINELAKE_SPARK_WORKER_CORES": "0",
    "CINELAKE_SPARK_WORKER_MEMORY": "1 gigabyte",
    "CINELAKE_SPARK_EXECUTOR_MEMORY": "-1g",
    "CINELAKE_VACUUM_RETAIN_HOURS": "-1",
    "CINELAKE_DBT_TARGET": "prod",
    "CINELAKE_DBT_SCHEMA": "gold; drop",
    "CINELAKE_DBT_THREADS": "0",
    "CINELAKE_DBT_POLL_INTERVAL": "0.5",
    "CINELAKE_MYSQL_PORT": "3306x",
    "CINELAKE_MYSQL_DATABASE": "shop-db",
    "CINELAKE_SHOP_URL": "postgres://etl:pw@db/shop",
    "CINELAKE_SHOP_TABLES": ",",
    "TMDB_API_KEY": "a-v3-key",
    "CINELAKE_TMDB_BASE_URL": "api.themoviedb.org/3",
    "CINELAKE_TMDB_PORT": "80000",
    "CINELAKE_TMDB_GENRES": "horror",
    "CINELAKE_TMDB_LANGUAGE": "portuguese",
    "CINELAKE_TMDB_MAX_PAGES": "501",
    "CINELAKE_TMDB_FAULTS": "{slow_every: 3}",
    "CINELAKE_ALERT_WEBHOOK": "hooks.slack.com/services/T0/B0/x",
    "CINELAKE_REJECT_RATE_MAX": "twenty percent",
    "CINELAKE_SHOP_LAG_SECONDS": "-60",
    "CINELAKE_METASTORE_PASSWORD": "it's-short",
    "CINELAKE_LOCK_WAIT_S": "forever",
}
FREE_TEXT = {
    "CINELAKE_HOME",
    "CINELAKE_CSV_MOVIES",
    "CINELAKE_CSV_SERIES",
    "CINELAKE_DATABASES_FILE",
    "DBT_TARGET_PATH",
    "JAVA_HOME",
    "CINELAKE_THRIFT_HOST",
    "CINELAKE_THRIFT_USER",
    "CINELAKE_MYSQL_HOST",
    "CINELAKE_MYSQL_OWNER_USER",
    "CINELAKE_MYSQL_OWNER_PASSWORD",
    "CINELAKE_MYSQL_ETL_USER",
    "CINELAKE_MYSQL_ETL_PASSWORD",
    "CINELAKE_MARIADB_BINDIR",
    "CINELAKE_SPARK_JARS_DIR",
    "TMDB_ACCESS_TOKEN",
    "CINELAKE_TMDB_STANDIN_KEY",
}
ENV_NAMES = [info.json_schema_extra["env"] for info in Settings.model_fields.values()]


def test_every_variable_is_either_checked_here_or_free_text():
    assert set(ENV_NAMES) == set(BAD_VALUES) | FREE_TEXT
    assert not set(BAD_VALUES) & FREE_TEXT


@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_a_bad_value_is_one_line_naming_the_variable_with_exit_2(name, monkeypatch, capsys):
    monkeypatch.setenv(name, BAD_VALUES[name])
    status = cli.main(["status"])
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert err.startswith(f"cinelake: error: bad setting: {name}=") and err.count("\n") == 1
    assert "Traceback" not in err + out
    secret = Settings.model_fields[
        next(n for n, f in Settings.model_fields.items() if f.json_schema_extra["env"] == name)
    ].json_schema_extra["secret"]
    # A secret's value is never echoed, not even a wrong one.
    assert (BAD_VALUES[name] in err) is not secret


def test_a_usage_error_exits_2_and_bare_cinelake_prints_help(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["docs", "--port", "99999"])
    assert exited.value.code == 2
    assert "a TCP port, 1-65535, not '99999'" in capsys.readouterr().err
    assert cli.main([]) == 0
    assert "usage: cinelake" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.startswith("cinelake ")


def test_secrets_are_not_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("CINELAKE_MYSQL_ETL_PASSWORD", "pw-in-repr-test")
    monkeypatch.setenv("TMDB_ACCESS_TOKEN", "token-in-repr-test")
    settings = load_settings()
    assert "pw-in-repr-test" not in repr(settings) + str(settings)
    assert "token-in-repr-test" not in repr(settings)
    assert {"pw-in-repr-test", "token-in-repr-test"} <= set(settings.secret_values())


def test_the_pii_salt_is_random_private_and_stable(monkeypatch, tmp_path):
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.delenv("CINELAKE_PII_SALT", raising=False)
    salt = load_settings().ensure_pii_salt()
    assert len(salt) == 64 and load_settings().ensure_pii_salt() == salt
    assert (tmp_path / "secrets" / "pii_salt").stat().st_mode & 0o077 == 0
    assert load_settings(CINELAKE_PII_SALT="x" * 20).ensure_pii_salt() == "x" * 20


def test_a_salt_from_the_environment_writes_no_file(monkeypatch, tmp_path):
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.setenv("CINELAKE_PII_SALT", "y" * 20)
    assert load_settings().ensure_pii_salt() == "y" * 20
    assert not (tmp_path / "secrets").exists()


def test_reading_the_settings_writes_nothing(monkeypatch, tmp_path):
    """Every field and property is read without a side effect: the secrets made on first use
    are made by the explicit `ensure_*` steps only."""
    home = tmp_path / "home"
    monkeypatch.setenv("CINELAKE_HOME", str(home))
    for name in ("CINELAKE_PII_SALT", "CINELAKE_METASTORE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    properties = [n for n, v in vars(Settings).items() if isinstance(v, property)]
    for name in [*Settings.model_fields, *properties]:
        getattr(settings, name)
    settings.secret_values()
    assert not home.exists()


def test_the_tmdb_source_and_the_settings_agree_on_the_api():
    from cinelake import config
    from cinelake.ingest.sources.tmdb import settings as source

    assert (config.REAL_TMDB_URL, config.TMDB_MAX_PAGE) == (source.API_URL, source.MAX_PAGE)
    fields = Settings.model_fields
    defaults = (fields["tmdb_genre_ids"].default, fields["tmdb_language"].default)
    assert defaults == (source.GENRE_IDS, source.LANGUAGE)


# -- database URLs: SOURCES__<NAME>__CREDENTIALS, else .dlt/secrets.toml ------------------------
OWN_URL = "mysql+pymysql://reader:pw-of-owndb@db.example.com:3306/films"


def test_a_database_url_comes_from_its_variable(monkeypatch):
    monkeypatch.setenv("SOURCES__FILMS__CREDENTIALS", OWN_URL)
    assert load_settings().database_url("films") == OWN_URL


def test_the_shops_url_is_its_setting(monkeypatch):
    monkeypatch.setenv("CINELAKE_SHOP_URL", OWN_URL)
    monkeypatch.setenv("SOURCES__SHOP__CREDENTIALS", "mysql+pymysql://other:x@h/db")
    assert load_settings().database_url("shop") == OWN_URL


def test_a_missing_database_url_says_where_to_put_it(monkeypatch):
    monkeypatch.delenv("SOURCES__NOWHERE__CREDENTIALS", raising=False)
    with pytest.raises(SettingsError) as error:
        load_settings().database_url("nowhere")
    assert "SOURCES__NOWHERE__CREDENTIALS=" in str(error.value)
    assert "sources.nowhere.credentials in .dlt/secrets.toml" in str(error.value)


SECRETS_TOML_PROBE = """
import os, sys
from cinelake.config import SettingsError, load_settings
settings = load_settings()
print(settings.database_url("films"))
os.environ["SOURCES__FILMS__CREDENTIALS"] = sys.argv[1]
print(settings.database_url("films"))
try:
    settings.database_url("tabled")
except SettingsError as exc:
    print(exc)
"""


def test_secrets_toml_is_read_when_present_and_the_variable_wins(tmp_path):
    """dlt finds `.dlt/secrets.toml` in the working directory when it first loads its
    providers: a fresh process started there, as a user runs `cinelake ingest`."""
    project = tmp_path / "project"
    (project / ".dlt").mkdir(parents=True)
    (project / ".dlt" / "secrets.toml").write_text(
        f'[sources.films]\ncredentials = "{OWN_URL}"\n\n'
        '[sources.tabled.credentials]\npassword = "pw-of-tabled"\n'
    )
    env_url = "mysql+pymysql://reader:pw-from-env@db:3306/films"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DLT_"))}
    env |= {"HOME": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT)}  # no ~/.dlt of the user
    result = subprocess.run(
        [sys.executable, "-c", SECRETS_TOML_PROBE, env_url],
        cwd=project, env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    from_file, from_env, refusal = result.stdout.splitlines()
    assert (from_file, from_env) == (OWN_URL, env_url)
    assert "sources.tabled.credentials must be one URL string" in refusal
    assert "pw-of-tabled" not in refusal


def test_the_configuration_page_lists_every_setting_as_generated():
    page = (PROJECT_ROOT / "docs" / "configuration.md").read_text()
    assert settings_markdown() in page, (
        "docs/configuration.md's settings tables are stale: python -m cinelake.config"
    )


def test_robustness_settings_have_defaults(monkeypatch):
    for name in ("CINELAKE_REJECT_RATE_MAX", "CINELAKE_SHOP_LAG_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert (settings.reject_rate_max, settings.shop_lag_s) == (0.2, 3600)


@pytest.mark.parametrize("raw", ["1.5", "-0.1", "nan"])
def test_reject_rate_max_must_be_a_share(monkeypatch, raw):
    monkeypatch.setenv("CINELAKE_REJECT_RATE_MAX", raw)
    with pytest.raises(ValueError, match=f"CINELAKE_REJECT_RATE_MAX={raw!r}: must be"):
        load_settings()


DLT_TRACKER = (
    "import sys, dlt; from dlt.common.runtime import anon_tracker; {before}"
    "dlt.pipeline(pipeline_name='probe', pipelines_dir=sys.argv[1]); "
    "print(anon_tracker._ANON_TRACKER_ENDPOINT)"
)


@pytest.mark.parametrize(
    ("before", "user_value", "endpoint"),
    [
        ("", None, "https://"),  # dlt's own default: on (what the call below turns off)
        ("from cinelake.config import dlt_telemetry_off; dlt_telemetry_off(); ", None, "None"),
        (
            "from cinelake.config import dlt_telemetry_off; dlt_telemetry_off(); ",
            "true",
            "https://",
        ),
    ],
)
def test_dlt_telemetry_is_off_unless_the_user_turns_it_on(tmp_path, before, user_value, endpoint):
    env = {k: v for k, v in os.environ.items() if k != "RUNTIME__DLTHUB_TELEMETRY"}
    if user_value:
        env["RUNTIME__DLTHUB_TELEMETRY"] = user_value
    code = DLT_TRACKER.format(before=before)
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], env=env, cwd=tmp_path,
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip().startswith(endpoint), out


def test_every_command_runs_with_dlt_telemetry_off(tmp_path):
    """The command line turns it off before any command: `cinelake lock` shows the
    environment its command (here `env`) inherits."""
    env = {k: v for k, v in os.environ.items() if k != "RUNTIME__DLTHUB_TELEMETRY"}
    env["CINELAKE_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "cinelake.cli", "lock", "probe", "--", "env"], env=env,
        capture_output=True, text=True, check=True, cwd=PROJECT_ROOT,
    ).stdout  # fmt: skip
    assert "RUNTIME__DLTHUB_TELEMETRY=false" in out.splitlines()
