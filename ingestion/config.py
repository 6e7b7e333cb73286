"""Settings of the local Cinelake stack, read from the environment.

Every value has a development default so that `cinelake up` works on a fresh clone; every
value can be overridden by an environment variable of the same name (documented in the
README). Secrets are never written in code: the defaults below are development passwords for
services bound to 127.0.0.1 only, and production users set their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
TMDB_STANDIN_DEFAULT_KEY = "cinelake-demo-key"  # the local stand-in's key, not a secret
SHOP_TABLES = (
    "plans",
    "customers",
    "subscriptions",
    "catalog_titles",
    "viewing_sessions",
    "payments",
)


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _env_share(name: str, default: float) -> float:
    """A fraction between 0 and 1 (a share of rows), e.g. 0.2."""
    raw = _env(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:  # also rejects nan
        raise ValueError(
            f"{name} must be a number between 0 and 1 (a share, e.g. 0.2), got {raw!r}"
        )
    return value


def _env_seconds(name: str, default: int) -> int:
    """A whole number of seconds, 0 or more."""
    value = _env_int(name, default)
    if value < 0:
        raise ValueError(f"{name} must be a whole number of seconds, 0 or more, got {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Where state lives and which loopback ports the local services use."""

    home: Path
    # Address our own servers (TMDB stand-in, docs) listen on: loopback, except inside a
    # container, where the compose network reaches them (docker-compose.yml sets 0.0.0.0).
    bind_host: str
    thrift_port: int
    spark_ui_port: int
    spark_driver_memory: str
    spark_shuffle_partitions: int
    # 0: the Thrift server runs Spark in local mode (one JVM). N > 0 (`cinelake up --cluster
    # N`): a standalone master and N workers, executors in their own JVMs.
    spark_workers: int
    spark_master_port: int
    spark_master_ui_port: int
    spark_worker_cores: int
    spark_worker_memory: str
    spark_executor_memory: str
    mysql_host: str  # where clients reach MySQL; the local MariaDB itself binds loopback
    mysql_port: int
    mysql_database: str
    mysql_owner_user: str
    mysql_owner_password: str
    mysql_etl_user: str
    mysql_etl_password: str
    tmdb_port: int
    docs_port: int
    start_timeout_s: int
    lake_url: str
    csv_movies_path: Path
    csv_series_path: Path
    shop_url_override: str
    shop_tables: tuple[str, ...]
    tmdb_api_key: str
    tmdb_standin_key: str
    tmdb_base_url_override: str
    tmdb_genre_ids: tuple[int, ...]
    tmdb_language: str
    tmdb_max_pages: int
    alert_webhook: str
    # Robustness of ingestion (no single row stops it, late rows land); see README "Ingestion".
    # A CSV file whose rejected share of lines is above this fails its source and alerts; a
    # file with every line rejected always does, whatever the value.
    reject_rate_max: float
    # The shop's incremental load re-reads this many seconds behind its updated_at cursor,
    # so rows committed late (long transactions, lagging replicas) still land. 0: no window.
    shop_lag_s: int

    @property
    def shop_url(self) -> str:
        """SQLAlchemy URL of the shop for ingestion: CINELAKE_SHOP_URL, else the local etl user."""
        if self.shop_url_override:
            return self.shop_url_override
        return (
            f"mysql+pymysql://{quote_plus(self.mysql_etl_user)}:"
            f"{quote_plus(self.mysql_etl_password)}@{self.mysql_host}:{self.mysql_port}/"
            f"{self.mysql_database}"
        )

    @property
    def uses_real_tmdb(self) -> bool:
        return bool(self.tmdb_api_key)

    @property
    def tmdb_base_url(self) -> str:
        if self.tmdb_base_url_override:
            return self.tmdb_base_url_override
        if self.uses_real_tmdb:
            return "https://api.themoviedb.org/3"
        return f"http://{LOOPBACK}:{self.tmdb_port}/3"

    @property
    def runs_dir(self) -> Path:
        """JSON reports of ingestion runs."""
        return self.home / "runs"

    @property
    def run_dir(self) -> Path:
        """Pid files."""
        return self.home / "run"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def spark_dir(self) -> Path:
        """Warehouse, Derby metastore and the JVM's working directory."""
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


def load_settings() -> Settings:
    """Read the settings from the environment (call again after changing it)."""
    home = Path(_env("CINELAKE_HOME", str(PROJECT_ROOT / ".cinelake"))).expanduser().resolve()
    return Settings(
        home=home,
        bind_host=_env("CINELAKE_BIND_HOST", LOOPBACK),
        thrift_port=_env_int("CINELAKE_THRIFT_PORT", 10000),
        spark_ui_port=_env_int("CINELAKE_SPARK_UI_PORT", 4040),
        spark_driver_memory=_env("CINELAKE_SPARK_DRIVER_MEMORY", "2g"),
        # 200 (Spark's default) means 200 tiny tasks per shuffle on a 2-core laptop.
        spark_shuffle_partitions=_env_int("CINELAKE_SPARK_SHUFFLE_PARTITIONS", 4),
        spark_workers=_env_int("CINELAKE_SPARK_WORKERS", 0),
        spark_master_port=_env_int("CINELAKE_SPARK_MASTER_PORT", 7077),
        spark_master_ui_port=_env_int("CINELAKE_SPARK_MASTER_UI_PORT", 8080),
        # One core per worker: on a 2-core laptop, --cluster 2 gives as many task slots as
        # local[*] does, so the two modes compare fairly.
        spark_worker_cores=_env_int("CINELAKE_SPARK_WORKER_CORES", 1),
        spark_worker_memory=_env("CINELAKE_SPARK_WORKER_MEMORY", "1g"),
        spark_executor_memory=_env("CINELAKE_SPARK_EXECUTOR_MEMORY", "1g"),
        mysql_host=_env("CINELAKE_MYSQL_HOST", LOOPBACK),
        mysql_port=_env_int("CINELAKE_MYSQL_PORT", 3307),
        mysql_database=_env("CINELAKE_MYSQL_DATABASE", "shop"),
        mysql_owner_user=_env("CINELAKE_MYSQL_OWNER_USER", "shop_owner"),
        mysql_owner_password=_env("CINELAKE_MYSQL_OWNER_PASSWORD", "shop-owner-dev"),
        mysql_etl_user=_env("CINELAKE_MYSQL_ETL_USER", "etl"),
        mysql_etl_password=_env("CINELAKE_MYSQL_ETL_PASSWORD", "etl-dev"),
        tmdb_port=_env_int("CINELAKE_TMDB_PORT", 8780),
        docs_port=_env_int("CINELAKE_DOCS_PORT", 8580),
        start_timeout_s=_env_int("CINELAKE_START_TIMEOUT", 180),
        lake_url=_env("CINELAKE_LAKE_URL", str(home / "lake")),
        csv_movies_path=Path(_env("CINELAKE_CSV_MOVIES", str(home / "demo/csv/movies.csv"))),
        csv_series_path=Path(_env("CINELAKE_CSV_SERIES", str(home / "demo/csv/series.csv"))),
        shop_url_override=_env("CINELAKE_SHOP_URL", ""),
        shop_tables=tuple(
            t.strip()
            for t in _env("CINELAKE_SHOP_TABLES", ",".join(SHOP_TABLES)).split(",")
            if t.strip()
        ),
        tmdb_api_key=_env("TMDB_API_KEY", ""),
        tmdb_standin_key=_env("CINELAKE_TMDB_STANDIN_KEY", TMDB_STANDIN_DEFAULT_KEY),
        tmdb_base_url_override=_env("CINELAKE_TMDB_BASE_URL", ""),
        tmdb_genre_ids=_env_ints("CINELAKE_TMDB_GENRES", (27,)),
        tmdb_language=_env("CINELAKE_TMDB_LANGUAGE", "pt-BR"),
        tmdb_max_pages=_env_int("CINELAKE_TMDB_MAX_PAGES", 500),
        alert_webhook=_env("CINELAKE_ALERT_WEBHOOK", ""),
        # Robustness of ingestion: reject-rate alarm and late-row window.
        reject_rate_max=_env_share("CINELAKE_REJECT_RATE_MAX", 0.2),
        shop_lag_s=_env_seconds("CINELAKE_SHOP_LAG_SECONDS", 3600),
    )


def _env_ints(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = _env(name, ",".join(map(str, default)))
    try:
        return tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"{name} must be a comma list of integers, got {raw!r}") from exc
