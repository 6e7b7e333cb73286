"""The local MariaDB that plays the streaming service's operational "shop" database.

It runs from Debian's `mariadb-server` binaries with its own data directory under
`$CINELAKE_HOME/mariadb`, listening on 127.0.0.1 only. `root` has no password and is reachable
only through the Unix socket by the OS user who started it (socket authentication); the
project creates the `shop` database, an owner user (read-write, used by the demo data) and a
read-only `etl` user (used by ingestion), with passwords from the environment, and the `metastore`
database of Spark's catalog with its own owner (cinelake/stack/metastore.py).
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
from pathlib import Path

from cinelake.config import LOOPBACK, Settings, load_settings, process_environment
from cinelake.stack import metastore
from cinelake.stack.process import Daemon, Launch, ServiceError

NAME = "mariadb"
# Debian installs the server binaries in /usr/sbin, which is not on every user's PATH.
SBIN_DIRS = ("/usr/sbin", "/usr/local/sbin")
# Where the users may connect from: this machine. A compose container adds "%" (any host of
# its network), cinelake/stack/container.py.
LOCAL_CLIENT_HOSTS = ("localhost", LOOPBACK)
INSTALL_HINT = "install it with `apt-get install mariadb-server`"


def daemon(settings: Settings) -> Daemon:
    return Daemon.of(settings, NAME, cmdline_marker=str(settings.mysql_dir / "data"))


def find_binary(name: str, bindir: Path | None = None) -> str:
    """A MariaDB binary from CINELAKE_MARIADB_BINDIR if set, else from PATH or /usr/sbin."""
    bindir = bindir if bindir is not None else load_settings().mariadb_bindir
    default_path = os.pathsep.join([process_environment().get("PATH", ""), *SBIN_DIRS])
    search_path = str(bindir) if bindir else default_path
    path = shutil.which(name, path=search_path)
    if not path:
        where = f"in CINELAKE_MARIADB_BINDIR={bindir}" if bindir else "on PATH or in /usr/sbin"
        raise ServiceError(f"`{name}` (MariaDB) was not found {where}: {INSTALL_HINT}")
    return path


def preflight() -> None:
    """Fail before anything starts when the MariaDB binaries are missing."""
    for name in ("mariadbd", "mariadb-install-db", "mariadb"):
        find_binary(name)


def _os_user() -> str:
    return getpass.getuser()


def _initialize(settings: Settings) -> None:
    """Create the system tables once; an existing data directory is kept as it is."""
    data_dir = settings.mysql_dir / "data"
    if (data_dir / "mysql").is_dir():
        return
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    result = subprocess.run(
        [
            find_binary("mariadb-install-db"),
            "--no-defaults",
            f"--datadir={data_dir}",
            f"--user={_os_user()}",
            "--auth-root-authentication-method=socket",
            f"--auth-root-socket-user={_os_user()}",
            "--skip-test-db",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=_owner_only_env(),
    )
    if result.returncode != 0:
        shutil.rmtree(
            data_dir, ignore_errors=True
        )  # a half-made data dir would break the next `up`
        raise ServiceError(
            "mariadb-install-db failed to create the data directory:\n"
            + (result.stderr or result.stdout)[-2000:]
        )


def _owner_only_env() -> dict[str, str]:
    """mariadbd sets its files' modes from UMASK/UMASK_DIR (0660/0700 by default), not from
    the process umask: owner-only, like the rest of CINELAKE_HOME."""
    return {**process_environment(), "UMASK": "0600", "UMASK_DIR": "0700"}


def server_command(settings: Settings) -> list[str]:
    mysql_dir = settings.mysql_dir
    return [
        find_binary("mariadbd"),
        "--no-defaults",  # never read /etc/mysql: this server is the project's own
        f"--datadir={mysql_dir / 'data'}",
        f"--socket={settings.mysql_socket}",
        f"--pid-file={mysql_dir / 'mariadbd.pid'}",
        f"--port={settings.mysql_port}",
        f"--bind-address={LOOPBACK}",
        f"--user={_os_user()}",
        "--skip-name-resolve",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_unicode_ci",
        "--default-time-zone=+00:00",  # DATETIME columns hold UTC
        "--innodb-buffer-pool-size=256M",
        "--max-allowed-packet=64M",
    ]


def run_sql_as_root(settings: Settings, sql: str, timeout_s: float = 60) -> str:
    """Run SQL through the Unix socket as the admin account of the OS user (socket auth: root
    for root); return its tab-separated output.

    The SQL goes through stdin so that passwords never show up in the process list.
    """
    result = subprocess.run(
        [
            find_binary("mariadb"),
            "--no-defaults",
            f"--socket={settings.mysql_socket}",
            # The account of the OS user who made the data directory (--auth-root-socket-user):
            # `root` only when that is root; as anyone else (a container's user) it is theirs.
            f"--user={_os_user()}",
            "--batch",
            "--skip-column-names",
        ],
        input=sql,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if result.returncode != 0:
        raise ServiceError(f"MariaDB refused the bootstrap SQL: {result.stderr.strip()}")
    return result.stdout


def _ready(settings: Settings) -> bool:
    try:
        return run_sql_as_root(settings, "select 1;", timeout_s=5).strip() == "1"
    except (ServiceError, subprocess.TimeoutExpired):
        return False


def _quote(value: str) -> str:
    """A SQL string literal (MariaDB escaping rules)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def bootstrap_sql(settings: Settings, client_hosts: tuple[str, ...] = LOCAL_CLIENT_HOSTS) -> str:
    """Idempotent: the shop database, its owner and the read-only etl user; the metastore
    database (Spark's catalog) and its owner, who may touch nothing else. Passwords from the
    settings; each user may connect from `client_hosts`."""
    db = settings.mysql_database
    metastore_password = settings.ensure_metastore_password()
    statements = [
        f"create database if not exists `{db}` character set utf8mb4 collate utf8mb4_unicode_ci;",
        # latin1 as Hive's scripts declare their tables: utf8mb4 keys would pass InnoDB's
        # 3072-byte index limit on Hive's 767-character names (cinelake/stack/metastore.py).
        f"create database if not exists `{metastore.DATABASE}` character set latin1 "
        "collate latin1_bin;",
    ]
    users = [
        (settings.mysql_owner_user, settings.mysql_owner_password, "all privileges", db),
        (settings.mysql_etl_user, settings.mysql_etl_password, "select, show view", db),
        (metastore.USER, metastore_password, "all privileges", metastore.DATABASE),
    ]
    for user, password, privileges, database in users:
        for host in client_hosts:
            account = f"{_quote(user)}@{_quote(host)}"
            statements += [
                f"create user if not exists {account} identified by {_quote(password)};",
                # so that a password changed in the environment takes effect on the next `up`
                f"alter user {account} identified by {_quote(password)};",
                f"grant {privileges} on `{database}`.* to {account};",
            ]
    return "\n".join(statements) + "\n"


def start(
    settings: Settings, client_hosts: tuple[str, ...] = LOCAL_CLIENT_HOSTS
) -> tuple[int, bool]:
    """Start MariaDB unless ours already runs; (re)apply the bootstrap SQL either way."""
    pid, started = daemon(settings).ensure_running(
        [(settings.mysql_port, "MariaDB", "CINELAKE_MYSQL_PORT")],
        lambda: _launch(settings),
        settings.start_timeout_s,
    )
    if started:
        # It makes its socket world-writable whatever the umask; only its owner may use it.
        settings.mysql_socket.chmod(0o700)
    run_sql_as_root(settings, bootstrap_sql(settings, client_hosts))
    metastore.ensure_schema(settings)  # Hive's schema, on the first start only
    return pid, started


def _launch(settings: Settings) -> Launch:
    """The binaries checked, and the system tables made on the very first start."""
    preflight()
    _initialize(settings)
    return Launch(
        server_command(settings), settings.mysql_dir, lambda: _ready(settings), _owner_only_env()
    )
