"""Every setting and secret of Cinelake, read in this one place, typed and checked.

One settings system, and it is this module: the rest of the code gets a `Settings` and never
reads the environment, `dlt.config` or `dlt.secrets` itself (tests/unit/test_layout.py checks
it). Chosen over dlt's providers as the secrets layer because most settings are not dlt's
(Spark, MariaDB, dbt's profile, the stack's ports): one typed model checks them all at start,
gives one error per bad value, generates the settings tables and lists every secret for
redaction. Database URLs keep dlt's documented names: `database_url()` reads
SOURCES__<NAME>__CREDENTIALS and, so that the git-ignored `.dlt/secrets.toml` keeps working,
consults dlt's secrets providers; it is the one place that does. (Handing configuration *to*
dlt, `dlt.config.values(...)` around a pipeline step, is not reading settings.)

Every value has a development default so that `cinelake up` works on a fresh clone, and every
value can be overridden by the environment variable named in its field (the settings tables of
docs/configuration.md are generated from this module, and a test keeps the two equal). Secrets
are never written in code: the defaults below are development passwords for services bound to
127.0.0.1 only, production users set their own; fields marked `secret` are never printed and
are redacted from every error text, log line, report and alert (see `cinelake.ingest.redaction`).
Reading a setting never writes anything: the secrets made on first use are made by the
`ensure_*` methods, called by the steps that need them.

A bad value is one `SettingsError` that names the variable, the value and what is accepted.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote_plus, urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cinelake.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
TMDB_STANDIN_DEFAULT_KEY = "cinelake-demo-key"  # the local stand-in's key, not a secret
# The TMDB source keeps these facts of the API in its own settings.py too (a source imports
# nothing of the app, and this module nothing of ingestion); tests/unit/test_config.py checks
# that the two agree.
REAL_TMDB_URL = "https://api.themoviedb.org/3"
TMDB_MAX_PAGE = 500  # the API refuses pages beyond 500
SHOP_TABLES = (
    "plans",
    "customers",
    "subscriptions",
    "catalog_titles",
    "viewing_sessions",
    "payments",
)
LAKE_SCHEMES = ("file", "s3")  # what dlt's filesystem destination and Spark both read here
MEMORY = r"^\d+[kmgtKMGT]?$"  # a JVM memory size: 512m, 2g
MEMORY_WORDS = "a memory size: a number with k, m, g or t (512m, 2g)"
IDENTIFIER_WORDS = "an identifier: letters, digits and _, not starting with a digit"


class SettingsError(UsageError):
    """A setting has a value Cinelake cannot use; the message names it and what is accepted."""


def _env(
    name: str, *, section: str, secret: bool = False, reader: str = "cinelake", accepts: str = ""
) -> Any:
    """Field metadata: the variable's name, whether it is secret, its docs section, who reads
    it (cinelake itself or dbt's profile) and, for patterns, what is accepted in words."""
    extra = {"env": name, "secret": secret, "section": section, "reader": reader}
    return {
        "validation_alias": AliasChoices(name),
        "repr": not secret,
        "json_schema_extra": extra | ({"accepts": accepts} if accepts else {}),
    }


Port = Annotated[int, Field(ge=1, le=65535)]


class Settings(BaseSettings):
    """The stack's settings; `load_settings()` reads them (call it again after changing env)."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        env_ignore_empty=True,
        case_sensitive=True,
        enable_decoding=False,  # lists are comma lists, parsed below, not JSON
    )

    # -- state and lake --------------------------------------------------------------------
    home: Path = Field(
        PROJECT_ROOT / ".cinelake",
        description="state directory: services' data and logs, demo sources, run reports "
        "(owner-only, mode 0700)",
        **_env("CINELAKE_HOME", section="state"),
    )
    lake_url: str = Field(
        "",
        description="lake root: a local path or `s3://bucket/prefix`; default `<home>/lake`",
        **_env("CINELAKE_LAKE_URL", section="state", accepts="path or `s3://` URL"),
    )
    load_date: dt.date | None = Field(
        None,
        description="partition day of an ingestion, `YYYY-MM-DD` (backfills); default today UTC",
        **_env("CINELAKE_LOAD_DATE", section="state"),
    )
    demo_as_of: dt.date | None = Field(
        None,
        description="the demo generator's today, `YYYY-MM-DD`; default today UTC",
        **_env("CINELAKE_DEMO_AS_OF", section="state"),
    )
    pii_salt_value: str = Field(
        "",
        description="salt of the customer e-mail hash; default a random one made on first use "
        "in `<home>/secrets/pii_salt`",
        **_env("CINELAKE_PII_SALT", secret=True, section="state", accepts="16+ characters"),
    )
    aws_endpoint_url: str = Field(
        "",
        description="S3-compatible endpoint for an `s3://` lake (boto3's own variable)",
        **_env("AWS_ENDPOINT_URL", section="state", accepts="http(s) URL"),
    )
    csv_movies_path: Path | None = Field(
        None,
        description="your own movies.csv; default the demo's `<home>/demo/csv/movies.csv`",
        **_env("CINELAKE_CSV_MOVIES", section="state"),
    )
    csv_series_path: Path | None = Field(
        None,
        description="your own series.csv; default the demo's `<home>/demo/csv/series.csv`",
        **_env("CINELAKE_CSV_SERIES", section="state"),
    )
    # 0 by default: a run refused at once says so to its scheduler (exit 75) and the next tick
    # runs; one that waits holds its scheduler's slot, and runs pile up behind a hung holder.
    lock_wait_s: int = Field(
        0,
        ge=0,
        le=86400,
        description="seconds `cinelake ingest` and the daily run wait for another run of the "
        "same home to finish before refusing (exit 75); 0: refuse at once",
        **_env("CINELAKE_LOCK_WAIT_S", section="state"),
    )
    full_build: bool = Field(
        False,
        description="`1`: `cinelake build --daily` (the daily run's build) builds and checks "
        "everything, as a first run does, instead of what changed since the last build",
        **_env("CINELAKE_FULL_BUILD", section="dbt"),
    )
    # -- services ----------------------------------------------------------------------------
    # Address our own servers (TMDB stand-in, docs) listen on: loopback, except inside a
    # container, where the compose network reaches them (docker-compose.yml sets 0.0.0.0).
    bind_host: str = Field(
        LOOPBACK,
        description="address the TMDB stand-in and the docs server listen on (an IP address)",
        **_env("CINELAKE_BIND_HOST", section="services", accepts="IP address"),
    )
    start_timeout_s: int = Field(
        180,
        ge=1,
        le=3600,
        description="seconds `cinelake up` waits for a service to answer",
        **_env("CINELAKE_START_TIMEOUT", section="services"),
    )
    docs_port: Port = Field(
        8580,
        description="port of `cinelake docs`",
        **_env("CINELAKE_DOCS_PORT", section="services"),
    )
    dbt_target_path: Path = Field(
        PROJECT_ROOT / "target",
        description="dbt's artifact folder, which `cinelake docs` serves the site from "
        "(dbt's own variable)",
        **_env("DBT_TARGET_PATH", section="services"),
    )
    progress: bool = Field(
        False,
        description="`1`: dlt logs its progress during `cinelake ingest`",
        **_env("CINELAKE_PROGRESS", section="services"),
    )
    crash_at: str = Field(
        "",
        pattern=r"^((extract|normalize):\w+|(load|commit):\w+\.\w+)?$",
        description="crash tests only: `cinelake ingest` SIGKILLs itself at this point "
        "(`extract:<source>`, `normalize:<source>`, `load:<source>.<table>`, "
        "`commit:<source>.<table>`; see cinelake/ingest/crash.py)",
        **_env("CINELAKE_CRASH_AT", section="services", accepts="`<stage>:<source>[.<table>]`"),
    )
    # -- Spark ---------------------------------------------------------------------------
    java_home: Path | None = Field(
        None,
        description="a Java 17+ for Spark (its own variable); default the `java` on PATH",
        **_env("JAVA_HOME", section="spark"),
    )
    thrift_port: Port = Field(
        10000,
        description="Spark Thrift server (JDBC/ODBC, dbt) port",
        **_env("CINELAKE_THRIFT_PORT", section="spark"),
    )
    spark_ui_port: Port = Field(
        4040, description="Spark UI port", **_env("CINELAKE_SPARK_UI_PORT", section="spark")
    )
    spark_driver_memory: str = Field(
        "2g",
        pattern=MEMORY,
        description="Thrift server driver memory (`512m`, `2g`)",
        **_env("CINELAKE_SPARK_DRIVER_MEMORY", section="spark", accepts=MEMORY_WORDS),
    )
    # Options for the JVMs that run the SQL, e.g. `-XX:TieredStopAtLevel=1`: the JIT's quick tier
    # only. A server that lives minutes on small data (the test suite's stacks) spends much of its
    # CPU compiling Spark's code with the optimizing tier; on 2 cores that is CPU taken from the
    # queries (docs/development.md has the figures). Default: the JVM's own. Spark starts its
    # JVMs with -XX:+IgnoreUnrecognizedVMOptions: a misspelt -XX option is ignored, not refused.
    spark_java_options: str = Field(
        "",
        max_length=1000,
        pattern=r"^(-[^\n\r'\"]*)?$",
        description="extra JVM options of the Thrift server's driver and, in cluster mode, "
        "of its executors",
        **_env("CINELAKE_SPARK_JAVA_OPTIONS", section="spark", accepts="options starting with -"),
    )
    # 200 (Spark's default) means 200 tiny tasks per shuffle on a 2-core laptop.
    spark_shuffle_partitions: int = Field(
        4,
        ge=1,
        le=100000,
        description="`spark.sql.shuffle.partitions` of the Thrift server (set at `cinelake up`) "
        "and of dbt's `session` target",
        **_env("CINELAKE_SPARK_SHUFFLE_PARTITIONS", section="spark"),
    )
    # 0: the Thrift server runs Spark in local mode (one JVM). N > 0 (`cinelake up --cluster
    # N`): a standalone master and N workers, executors in their own JVMs.
    spark_workers: int = Field(
        0,
        ge=0,
        le=64,
        description="standalone workers to start (0: local mode); `up --cluster N` overrides",
        **_env("CINELAKE_SPARK_WORKERS", section="spark"),
    )
    spark_master_port: Port = Field(
        7077,
        description="standalone master port",
        **_env("CINELAKE_SPARK_MASTER_PORT", section="spark"),
    )
    spark_master_ui_port: Port = Field(
        8080,
        description="standalone master UI port",
        **_env("CINELAKE_SPARK_MASTER_UI_PORT", section="spark"),
    )
    # One core per worker: on a 2-core laptop, --cluster 2 gives as many task slots as
    # local[*] does, so the two modes compare fairly.
    spark_worker_cores: int = Field(
        1,
        ge=1,
        le=1024,
        description="cores per standalone worker",
        **_env("CINELAKE_SPARK_WORKER_CORES", section="spark"),
    )
    spark_worker_memory: str = Field(
        "1g",
        pattern=MEMORY,
        description="memory per standalone worker",
        **_env("CINELAKE_SPARK_WORKER_MEMORY", section="spark", accepts=MEMORY_WORDS),
    )
    spark_executor_memory: str = Field(
        "1g",
        pattern=MEMORY,
        description="memory per executor (cluster mode)",
        **_env("CINELAKE_SPARK_EXECUTOR_MEMORY", section="spark", accepts=MEMORY_WORDS),
    )
    # The Hive metastore (the catalog of every bronze, silver and gold table) is the database
    # `metastore` of the local MariaDB, owned by this user (cinelake/stack/metastore.py).
    metastore_password_value: str = Field(
        "",
        description="password of the `metastore` MariaDB user (the Spark catalog's); default a "
        "random one made on first use in `<home>/secrets/metastore_password`",
        **_env(
            "CINELAKE_METASTORE_PASSWORD", secret=True, section="spark", accepts="16+ characters"
        ),
    )
    # Delta's own floor for VACUUM is 7 days (168 h): a shorter retention can delete files that
    # a running query or a reader's time travel still needs. `cinelake maintain` refuses less
    # unless --force.
    vacuum_retain_hours: int = Field(
        168,
        ge=0,
        le=87600,
        description="hours of table history `cinelake maintain` keeps (VACUUM RETAIN); below "
        "168 only with `--force`",
        **_env("CINELAKE_VACUUM_RETAIN_HOURS", section="spark"),
    )
    # -- dbt's profile (profiles/profiles.yml reads these through env_var()) -------------------
    dbt_target: str = Field(
        "local",
        pattern=r"^(local|ci|docker|session)$",
        description="dbt target: `local`, `ci`, `docker` or `session`",
        **_env(
            "CINELAKE_DBT_TARGET",
            section="dbt",
            reader="dbt",
            accepts="one of local, ci, docker, session",
        ),
    )
    thrift_host: str = Field(
        LOOPBACK,
        description="host dbt and `cinelake sql`, `ops`, `maintain` reach the Thrift server "
        "and its Spark UI on (`spark-thrift` in compose)",
        **_env("CINELAKE_THRIFT_HOST", section="dbt", reader="dbt"),
    )
    thrift_user: str = Field(
        "cinelake",
        description="user name dbt gives the Thrift server",
        **_env("CINELAKE_THRIFT_USER", section="dbt", reader="dbt"),
    )
    dbt_schema: str = Field(
        "cinelake",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="dbt's default schema (models use `bronze`, `silver`, `gold`)",
        **_env("CINELAKE_DBT_SCHEMA", section="dbt", reader="dbt", accepts=IDENTIFIER_WORDS),
    )
    dbt_threads: int = Field(
        4,
        ge=1,
        le=64,
        description="dbt threads",
        **_env("CINELAKE_DBT_THREADS", section="dbt", reader="dbt"),
    )
    dbt_poll_interval: int = Field(
        1,
        ge=1,
        le=60,
        description="seconds dbt-spark sleeps per unfinished statement (keep 1)",
        **_env("CINELAKE_DBT_POLL_INTERVAL", section="dbt", reader="dbt"),
    )
    spark_jars_dir: Path = Field(
        Path(".venv/share/cinelake/jars"),
        description="Spark's extra jars (`python -m cinelake.stack.spark_jars` fetches them), "
        "for the `session` target's class path; relative to the project",
        **_env("CINELAKE_SPARK_JARS_DIR", section="dbt", reader="dbt"),
    )
    # -- MySQL shop --------------------------------------------------------------------------
    mysql_host: str = Field(
        LOOPBACK,
        description="where clients reach MySQL (the local MariaDB itself binds loopback)",
        **_env("CINELAKE_MYSQL_HOST", section="mysql"),
    )
    mysql_port: Port = Field(
        3307, description="MariaDB port", **_env("CINELAKE_MYSQL_PORT", section="mysql")
    )
    mysql_database: str = Field(
        "shop",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the shop database",
        **_env("CINELAKE_MYSQL_DATABASE", section="mysql", accepts=IDENTIFIER_WORDS),
    )
    mysql_owner_user: str = Field(
        "shop_owner",
        description="owner of the shop database (the demo writes with it)",
        **_env("CINELAKE_MYSQL_OWNER_USER", section="mysql"),
    )
    mysql_owner_password: str = Field(
        "shop-owner-dev",
        description="its password",
        **_env("CINELAKE_MYSQL_OWNER_PASSWORD", secret=True, section="mysql"),
    )
    mysql_etl_user: str = Field(
        "etl",
        description="read-only user ingestion reads with",
        **_env("CINELAKE_MYSQL_ETL_USER", section="mysql"),
    )
    mysql_etl_password: str = Field(
        "etl-dev",
        description="its password",
        **_env("CINELAKE_MYSQL_ETL_PASSWORD", secret=True, section="mysql"),
    )
    mariadb_bindir: Path | None = Field(
        None,
        description="folder of `mariadbd`/`mariadb-install-db` when not on PATH or /usr/sbin",
        **_env("CINELAKE_MARIADB_BINDIR", section="mysql"),
    )
    shop_url_value: str = Field(
        "",
        description="your own MySQL instead of the local one: "
        "`mysql+pymysql://user:password@host:port/db`",
        **_env("CINELAKE_SHOP_URL", secret=True, section="mysql", accepts="MySQL URL"),
    )
    shop_tables: tuple[str, ...] = Field(
        SHOP_TABLES,
        description="comma list of shop tables to ingest (any tables of the shop database)",
        **_env("CINELAKE_SHOP_TABLES", section="mysql", accepts="comma list of names"),
    )
    databases_file: Path = Field(
        PROJECT_ROOT / "databases.yml",
        description="the databases `cinelake ingest <name>` lands (tables, cursors, keys); "
        "each one's URL is the dlt secret `SOURCES__<NAME>__CREDENTIALS`",
        **_env("CINELAKE_DATABASES_FILE", section="mysql"),
    )
    # -- TMDB ----------------------------------------------------------------------------------
    tmdb_access_token: str = Field(
        "",
        description="TMDB API Read Access Token: use the real API (sent as `Authorization: "
        "Bearer`, never in a URL); unset: the local stand-in",
        **_env("TMDB_ACCESS_TOKEN", secret=True, section="tmdb", accepts="token"),
    )
    tmdb_legacy_api_key: str = Field(
        "",
        exclude=True,
        description="refused: a v3 API key travels in URLs; set TMDB_ACCESS_TOKEN instead",
        **_env("TMDB_API_KEY", secret=True, section="tmdb", accepts="nothing"),
    )
    tmdb_standin_key: str = Field(
        TMDB_STANDIN_DEFAULT_KEY,
        description="the token the local stand-in accepts",
        **_env("CINELAKE_TMDB_STANDIN_KEY", secret=True, section="tmdb", accepts="token"),
    )
    tmdb_base_url_value: str = Field(
        "",
        description="TMDB base URL (`http(s)://host/3`); default the real API or the stand-in",
        **_env("CINELAKE_TMDB_BASE_URL", section="tmdb", accepts="http(s) URL"),
    )
    tmdb_port: Port = Field(
        8780, description="TMDB stand-in port", **_env("CINELAKE_TMDB_PORT", section="tmdb")
    )
    tmdb_genre_ids: tuple[int, ...] = Field(
        (27,),
        description="comma list of TMDB genre ids to discover (27: horror)",
        **_env("CINELAKE_TMDB_GENRES", section="tmdb", accepts="comma list of integers"),
    )
    tmdb_language: str = Field(
        "pt-BR",
        pattern=r"^[a-z]{2}(-[A-Z]{2})?$",
        description="TMDB `language` (`pt-BR`, `en-US`, `fr`)",
        **_env(
            "CINELAKE_TMDB_LANGUAGE", section="tmdb", accepts="a language code: pt-BR, en-US, fr"
        ),
    )
    tmdb_max_pages: int = Field(
        TMDB_MAX_PAGE,
        ge=1,
        le=TMDB_MAX_PAGE,
        description="discover pages per genre, 1-500",
        **_env("CINELAKE_TMDB_MAX_PAGES", section="tmdb"),
    )
    tmdb_faults: dict[str, float] = Field(
        {},
        description='faults the stand-in injects at start, JSON (`{"rate_limit_every": 5}`)',
        **_env("CINELAKE_TMDB_FAULTS", section="tmdb"),
    )
    # -- data quality at ingestion -----------------------------------------------------------
    reject_rate_max: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="a CSV file whose rejected share of lines is above this fails the csv "
        "source and alerts (a file with every line rejected always does)",
        **_env("CINELAKE_REJECT_RATE_MAX", section="quality", accepts="a share from 0 to 1"),
    )
    shop_lag_s: int = Field(
        3600,
        ge=0,
        le=30 * 86400,
        description="seconds the shop load re-reads behind its `updated_at` cursor, so rows "
        "committed late land (0: no window)",
        **_env("CINELAKE_SHOP_LAG_SECONDS", section="quality"),
    )
    # -- alerts ------------------------------------------------------------------------------
    alert_webhook: str = Field(
        "",
        description="Slack-compatible webhook (`https://...`) a failed ingestion posts to",
        **_env("CINELAKE_ALERT_WEBHOOK", secret=True, section="alerts", accepts="http(s) URL"),
    )

    # -- checks ------------------------------------------------------------------------------
    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: Any) -> Any:
        """Comma lists and booleans as people write them in a shell."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        lists = ("shop_tables", "CINELAKE_SHOP_TABLES", "tmdb_genre_ids", "CINELAKE_TMDB_GENRES")
        for name in lists:
            if isinstance(data.get(name), str):
                data[name] = tuple(p.strip() for p in data[name].split(",") if p.strip())
        for name in ("progress", "CINELAKE_PROGRESS"):
            if isinstance(data.get(name), str) and data[name].strip() in ("1", "0"):
                data[name] = data[name].strip() == "1"
        return data

    @field_validator("tmdb_faults", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise ValueError(f"must be JSON ({exc})") from exc
        return value

    @field_validator("home", "dbt_target_path", "databases_file", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("bind_host")
    @classmethod
    def _ip(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise ValueError(
                "must be an IP address (127.0.0.1, or 0.0.0.0 in a container)"
            ) from None
        return value

    @field_validator("lake_url")
    @classmethod
    def _lake_scheme(cls, value: str) -> str:
        scheme = urlsplit(value).scheme if "://" in value else "file"
        if scheme not in LAKE_SCHEMES:
            raise ValueError("must be a local path or an s3://bucket/prefix URL")
        return value

    @field_validator("shop_url_value")
    @classmethod
    def _mysql_url(cls, value: str) -> str:
        if value and not re.match(r"^mysql(\+pymysql)?://[^/]+/\w+", value):
            # Never echo the value: it holds a password.
            raise ValueError("must be a URL mysql+pymysql://user:password@host:port/database")
        return value

    @field_validator("tmdb_base_url_value", "alert_webhook", "aws_endpoint_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("shop_tables")
    @classmethod
    def _identifiers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or not all(re.match(r"^\w+$", t) for t in value):
            raise ValueError("must be a comma list of table names")
        return value

    @field_validator("tmdb_legacy_api_key")
    @classmethod
    def _refuse_v3_key(cls, value: str) -> str:
        if value:
            raise ValueError(
                "is no longer read: a v3 API key travels in every request URL; set "
                "TMDB_ACCESS_TOKEN to your API Read Access Token (TMDB settings, API) and unset "
                "TMDB_API_KEY"
            )
        return value

    @field_validator("pii_salt_value")
    @classmethod
    def _salt(cls, value: str) -> str:
        # The Thrift server substitutes it into SQL string literals: no quote, no backslash.
        if value and not re.match(r"^[\w.+/=:@-]{16,}$", value):
            raise ValueError(
                "must be 16 or more characters from letters, digits and _ . + / = : @ -"
            )
        return value

    @field_validator("metastore_password_value")
    @classmethod
    def _metastore_password(cls, value: str) -> str:
        # It goes into SQL and XML text: no quote, no backslash, no markup.
        if value and not re.match(r"^[\w.+/=:@-]{16,}$", value):
            raise ValueError(
                "must be 16 or more characters from letters, digits and _ . + / = : @ -"
            )
        return value

    @model_validator(mode="after")
    def _defaults_under_home(self) -> Settings:
        # Frozen, so the defaults that depend on `home` are set once, here.
        if not self.lake_url:
            object.__setattr__(self, "lake_url", str(self.home / "lake"))
        for name, default in (("csv_movies_path", "movies.csv"), ("csv_series_path", "series.csv")):
            if getattr(self, name) is None:
                object.__setattr__(self, name, self.demo_dir / "csv" / default)
        return self

    # -- derived values ------------------------------------------------------------------------
    @property
    def shop_url(self) -> str:
        """SQLAlchemy URL of the shop for ingestion: CINELAKE_SHOP_URL, else the local etl user."""
        if self.shop_url_value:
            return self.shop_url_value
        return (
            f"mysql+pymysql://{quote_plus(self.mysql_etl_user)}:"
            f"{quote_plus(self.mysql_etl_password)}@{self.mysql_host}:{self.mysql_port}/"
            f"{self.mysql_database}"
        )

    @property
    def uses_real_tmdb(self) -> bool:
        return bool(self.tmdb_access_token)

    @property
    def tmdb_token(self) -> str:
        """The bearer token ingestion sends: the real API's, else the stand-in's."""
        return self.tmdb_access_token or self.tmdb_standin_key

    @property
    def tmdb_base_url(self) -> str:
        if self.tmdb_base_url_value:
            return self.tmdb_base_url_value.rstrip("/")
        if self.uses_real_tmdb:
            return REAL_TMDB_URL
        return f"http://{LOOPBACK}:{self.tmdb_port}/3"

    def ensure_pii_salt(self) -> str:
        """Salt of the customer e-mail hash: CINELAKE_PII_SALT, else a random one kept in
        `<home>/secrets/pii_salt` (owner-only), made now when there is none, so that no salt
        is a default. Called by what hands the salt on (the Spark JVMs' environment)."""
        return self.pii_salt_value or self._ensure_home_secret("pii_salt")

    def ensure_metastore_password(self) -> str:
        """Password of the metastore's MariaDB user: CINELAKE_METASTORE_PASSWORD, else a random
        one kept in `<home>/secrets/metastore_password` (owner-only), made now when there is
        none."""
        return self.metastore_password_value or self._ensure_home_secret("metastore_password")

    def _ensure_home_secret(self, name: str) -> str:
        """A random secret kept in `<home>/secrets/<name>` (owner-only), made if missing."""
        path = self.home / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                pass
            else:
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_hex(32))
        return path.read_text().strip()

    def database_url(self, name: str) -> str:
        """Connection URL of the database `cinelake ingest <name>` reads. The shop's is
        `shop_url`; any other's is SOURCES__<NAME>__CREDENTIALS, else dlt's secret
        `sources.<name>.credentials` (the git-ignored `.dlt/secrets.toml`). SettingsError when
        there is none; no message holds the URL."""
        if name == "shop":
            return self.shop_url
        variable = f"SOURCES__{name.upper()}__CREDENTIALS"
        url = os.environ.get(variable) or _dlt_secret(f"sources.{name}.credentials")
        example = "mysql+pymysql://user:password@host:port/database"
        if not url:
            raise SettingsError(
                f"no connection URL for {name}: set {variable}={example} (or "
                f"sources.{name}.credentials in .dlt/secrets.toml)"
            )
        if not isinstance(url, str):
            raise SettingsError(
                f"sources.{name}.credentials must be one URL string, {example}, not a table"
            )
        return url

    def with_overrides(self, **values: Any) -> Settings:
        """These settings with some fields given anew (a command-line flag, a count of running
        workers), checked as the environment's values are: `model_copy(update=...)` would skip
        the bounds. A bad value is the same SettingsError, naming the field's variable."""
        fields = type(self).model_fields
        current = {_env_name(info): getattr(self, name) for name, info in fields.items()}
        given = {_env_name(fields[name]): value for name, value in values.items()}
        try:
            return type(self).model_validate({**current, **given})
        except ValidationError as exc:
            raise SettingsError(_explain(exc, given)) from None

    def secret_values(self) -> list[str]:
        """Every secret this process knows, for redaction (the salt only once it exists)."""
        values = [
            str(getattr(self, name))
            for name, info in type(self).model_fields.items()
            if (info.json_schema_extra or {}).get("secret") and getattr(self, name)
        ]
        for name in ("pii_salt", "metastore_password"):
            secret_file = self.home / "secrets" / name
            if secret_file.is_file():
                values.append(secret_file.read_text().strip())
        values.append(self.mysql_etl_password)  # inside shop_url, quoted
        values.append(quote_plus(self.mysql_etl_password))
        return [v for v in dict.fromkeys(values) if len(v) >= 4]

    @property
    def reports_dir(self) -> Path:
        """JSON reports of ingestion runs (`<run id>.json`, `latest.json`)."""
        return self.home / "runs"

    @property
    def run_dir(self) -> Path:
        """Runtime files of live processes: daemons' pid files, the run locks."""
        return self.home / "run"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def spark_dir(self) -> Path:
        """Warehouse, Spark's conf dir (hive-site.xml) and the JVMs' working directory."""
        return self.home / "spark"

    @property
    def demo_dir(self) -> Path:
        """Generated demo sources: CSV files, manifest, TMDB stand-in data, demo clock."""
        return self.home / "demo"

    @property
    def mysql_dir(self) -> Path:
        return self.home / "mariadb"

    @property
    def mysql_socket(self) -> Path:
        return self.mysql_dir / "mysqld.sock"


def _dlt_secret(key: str) -> Any:
    """A value of dlt's secrets providers (its environment names, `.dlt/secrets.toml` of the
    working directory, then of ~/.dlt): read only by `Settings.database_url`."""
    import dlt  # here, not at the top: most commands need no dlt, and it is slow to import

    return dlt.secrets.get(key)


# dlt's anonymous telemetry (an event per pipeline step, posted to a dlthub host) is on unless
# this variable turns it off. Off here, as dbt's usage statistics are (dbt_project.yml's flags):
# the jobs call only their own services. Where no outside name resolves (a container on a
# network without a route out), each event also waited for a DNS timeout after the landing:
# 83 s of every `cinelake ingest all` in the compose job.
DLT_TELEMETRY_ENV = "RUNTIME__DLTHUB_TELEMETRY"


def dlt_telemetry_off() -> None:
    """Turn dlt's telemetry off for this process and what it starts, unless the user set
    RUNTIME__DLTHUB_TELEMETRY. dlt reads it when it first resolves its runtime (a pipeline, or
    `dlt.secrets`), so the command line calls this before any setting is read."""
    os.environ.setdefault(DLT_TELEMETRY_ENV, "false")


def process_environment() -> dict[str, str]:
    """The environment this process was started with: what the services it starts inherit
    (each adds its own variables) and the PATH their binaries are found on. Settings are the
    fields above and `Settings.database_url`'s variables; this is the one other place that
    reads the environment."""
    return dict(os.environ)


def _env_name(info: Any) -> str:
    """The environment variable of a field (its validation alias)."""
    return info.json_schema_extra["env"]


def bounds(name: str) -> tuple[Any, Any]:
    """The lowest and highest value the field `name` accepts (None where it has no bound): for
    the command line's flags, whose messages name them."""
    return _bounds(Settings.model_fields[name])


def _bounds(info: Any) -> tuple[Any, Any]:
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    return low, high


def load_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment; SettingsError names what is wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_explain(exc)) from None


def _explain(exc: ValidationError, given: dict[str, Any] | None = None) -> str:
    """One line per bad variable: NAME=value: what is accepted (secrets not echoed). The value
    shown is the one `given` in code for that variable, else the environment's."""
    by_env = {
        (info.json_schema_extra or {}).get("env"): info for info in Settings.model_fields.values()
    }
    lines: dict[str, str] = {}
    for error in exc.errors():
        env = str(error["loc"][0]) if error["loc"] else "settings"
        info = by_env.get(env)
        if info is None or env in lines:
            lines.setdefault(env, f"{env}: {error['msg']}")
            continue
        secret = (info.json_schema_extra or {}).get("secret")
        value = (given or {}).get(env, os.environ.get(env, error["input"]))
        shown = "<hidden>" if secret else repr(value)
        lines[env] = f"{env}={shown}: {_accepted(info, error)}"
    return "bad setting: " + "; ".join(lines.values())


def _accepted(info: Any, error: Any) -> str:
    """What the variable accepts, in words (pydantic's own message only as a last resort)."""
    kind = error["type"]
    low, high = _bounds(info)
    if "float" in str(info.annotation) or kind.startswith("finite"):
        return f"must be a number from {low} to {high}"
    if kind in ("int_parsing", "int_type", "greater_than_equal", "less_than_equal"):
        return "must be an integer" + (f" from {low} to {high}" if low is not None else "")
    if kind.startswith(("date", "datetime")):
        return "must be a date, YYYY-MM-DD"
    if kind == "bool_parsing":
        return "must be 1 or 0"
    if kind == "string_pattern_mismatch":
        return f"must be {(info.json_schema_extra or {}).get('accepts') or info.description}"
    return str(error["msg"]).removeprefix("Value error, ")


SECTIONS = {
    "state": "State, lake and sources",
    "services": "Local services",
    "spark": "Spark",
    "dbt": "dbt's profile (read by `profiles/profiles.yml` through `env_var()`)",
    "mysql": "MySQL shop",
    "tmdb": "TMDB",
    "quality": "Data quality at ingestion",
    "alerts": "Alerts",
}


def _kind(info: Any) -> str:
    """The accepted values of a field, in words, for the settings tables."""
    low, high = _bounds(info)
    annotation = str(info.annotation)
    extra = info.json_schema_extra or {}
    secret = " (secret)" if extra.get("secret") else ""
    if extra.get("accepts"):
        return extra["accepts"].split(": ")[0] + secret
    if low is not None:
        return f"integer {low}-{high}"
    if "date" in annotation:
        return "date `YYYY-MM-DD`"
    if "bool" in annotation:
        return "`1` or `0`"
    if "dict" in annotation:
        return "JSON object"
    if "Path" in annotation:
        return "path"
    return "text" + secret


def settings_markdown() -> str:
    """The settings tables of docs/configuration.md, generated from the fields
    (`python -m cinelake.config`)."""
    rows: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for info in Settings.model_fields.values():
        extra = info.json_schema_extra or {}
        default = info.default
        if default in ("", None, {}) or extra["env"] == "TMDB_API_KEY":
            shown = "unset"
        elif isinstance(default, bool):
            shown = f"`{int(default)}`"
        elif isinstance(default, tuple):
            shown = "`" + ",".join(map(str, default)) + "`"
        elif isinstance(default, Path):
            shown = "`" + str(default).replace(str(PROJECT_ROOT), "<project>") + "`"
        else:
            shown = f"`{default}`"
        rows[extra["section"]].append(
            f"| `{extra['env']}` | {_kind(info)} | {shown} | {info.description} |"
        )
    parts = []
    for section, title in SECTIONS.items():
        parts += [
            f"**{title}**",
            "",
            "| variable | accepts | default | meaning |",
            "|---|---|---|---|",
        ]
        parts += [*rows[section], ""]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(settings_markdown(), end="")
