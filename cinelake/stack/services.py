"""Local services of the default (no Docker) path: MariaDB, the Spark standalone cluster
(only with `cinelake up --cluster N`), the Spark Thrift server, the TMDB stand-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cinelake.config import LOOPBACK, Settings
from cinelake.stack import mariadb, spark_cluster, spark_runtime, spark_thrift, tmdb_standin
from cinelake.stack.process import Daemon, ServiceError, port_open

__all__ = ["SERVICES", "Service", "ServiceError"]


@dataclass(frozen=True)
class Service:
    name: str
    preflight: Callable[[Settings], None]  # checks that need nothing started
    start: Callable[[Settings], tuple[int, bool]]
    daemons: Callable[[Settings], list[Daemon]]  # the processes `down` stops
    address: Callable[[Settings], str]
    answers: Callable[[Settings], bool]  # does it answer on its port (status)?
    enabled: Callable[[Settings], bool] = lambda _settings: True
    disabled_reason: str = ""


# Start order; `down` stops them in reverse.
SERVICES = (
    Service(
        name=mariadb.NAME,
        preflight=lambda _s: mariadb.preflight(),
        start=mariadb.start,
        daemons=lambda s: [mariadb.daemon(s)],
        address=lambda s: f"mysql://{LOOPBACK}:{s.mysql_port}/{s.mysql_database}",
        answers=lambda s: port_open(s.mysql_port),
    ),
    Service(
        name="spark-cluster",
        preflight=lambda _s: spark_runtime.preflight(),
        start=spark_cluster.start,
        daemons=spark_cluster.daemons,
        address=spark_cluster.address,
        answers=lambda s: port_open(s.spark_master_port) and spark_cluster.alive_workers(s) > 0,
        enabled=spark_cluster.enabled,
        disabled_reason="local mode (`cinelake up --cluster N` starts a standalone cluster)",
    ),
    Service(
        name=spark_thrift.NAME,
        preflight=spark_thrift.preflight,
        start=spark_thrift.start,
        daemons=lambda s: [spark_thrift.daemon(s)],
        address=lambda s: f"thrift://{LOOPBACK}:{s.thrift_port}",
        answers=lambda s: spark_thrift.select_one(s.thrift_port),  # a real `select 1`
    ),
    Service(
        name=tmdb_standin.NAME,
        preflight=lambda _s: tmdb_standin.preflight(),
        start=tmdb_standin.start,
        daemons=lambda s: [tmdb_standin.daemon(s)],
        address=lambda s: f"{tmdb_standin.base_url(s)}/3",
        answers=tmdb_standin.healthy,
        enabled=tmdb_standin.enabled,
        disabled_reason="TMDB_ACCESS_TOKEN is set, the real API is used instead",
    ),
)
