"""Local services of the default (no Docker) path: Spark Thrift server, MariaDB, TMDB stand-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingestion.config import LOOPBACK, Settings
from ingestion.services import mariadb, spark_thrift, tmdb_standin
from ingestion.services.process import Daemon, ServiceError

__all__ = ["SERVICES", "Service", "ServiceError"]


@dataclass(frozen=True)
class Service:
    name: str
    preflight: Callable[[], None]
    start: Callable[[Settings], tuple[int, bool]]
    daemon: Callable[[Settings], Daemon]
    address: Callable[[Settings], str]
    enabled: Callable[[Settings], bool] = lambda _settings: True


# Start order; `down` stops them in reverse.
SERVICES = (
    Service(
        name=mariadb.NAME,
        preflight=mariadb.preflight,
        start=mariadb.start,
        daemon=mariadb.daemon,
        address=lambda s: f"mysql://{LOOPBACK}:{s.mysql_port}/{s.mysql_database}",
    ),
    Service(
        name=spark_thrift.NAME,
        preflight=spark_thrift.preflight,
        start=spark_thrift.start,
        daemon=spark_thrift.daemon,
        address=lambda s: f"thrift://{LOOPBACK}:{s.thrift_port}",
    ),
    Service(
        name=tmdb_standin.NAME,
        preflight=tmdb_standin.preflight,
        start=tmdb_standin.start,
        daemon=tmdb_standin.daemon,
        address=lambda s: f"{tmdb_standin.base_url(s)}/3",
        enabled=tmdb_standin.enabled,
    ),
)
