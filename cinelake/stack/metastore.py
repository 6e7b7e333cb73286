"""The Hive metastore (Spark's catalog: every bronze, silver and gold table) in MariaDB.

The database `metastore` and its owner, the user `metastore`, are made by `cinelake up`
(mariadb.py's bootstrap SQL) or, under docker compose, by the `mysql` service's init script.
Its schema is Hive's own: the official MySQL scripts (Hive 1.2.0's schema and the upgrades
to 2.3.0, the version Spark's built-in Hive 2.3 client checks), from the release archive the
pinned pom fetches (spark-jars.pom.xml). They run once, on the first start, over a connection
as the metastore user (`python -m cinelake.stack.metastore` does the same for compose); a run
cut short is redone on the next start, since Spark never touches a schema without its version.

Every Spark JVM finds the connection in a `hive-site.xml` on its class path: `cinelake up`
writes it, owner-only, into Spark's conf dir (`<home>/spark/conf`, SPARK_CONF_DIR of the
JVMs it starts, also on the `session` dbt target's class path), so the password is in no
command line, Spark conf, log or dbt artifact.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tarfile
from pathlib import Path
from xml.sax.saxutils import escape

import pymysql

from cinelake.config import LOOPBACK, Settings, SettingsError, load_settings
from cinelake.stack import spark_jars, spark_runtime
from cinelake.stack.process import ServiceError

DATABASE = "metastore"
USER = "metastore"
# The schema version Spark's built-in Hive client (2.3.10) reads and checks.
SCHEMA_VERSION = "2.3.0"
SCRIPTS_ARCHIVE = "hive-standalone-metastore-3.1.3-bin.tar.gz"
SCRIPTS_DIR = "scripts/metastore/upgrade/mysql"
# schematool's path to 2.3.0 from the oldest full schema the archive ships (upgrade.order.mysql)
SCRIPTS = (
    "hive-schema-1.2.0.mysql.sql",
    "upgrade-1.2.0-to-2.0.0.mysql.sql",
    "upgrade-2.0.0-to-2.1.0.mysql.sql",
    "upgrade-2.1.0-to-2.2.0.mysql.sql",
    "upgrade-2.2.0-to-2.3.0.mysql.sql",
)
# Cinelake's one addition to Hive's scripts: their tables are latin1 (so that utf8mb4 keys do
# not pass InnoDB's index limit), which turns every character outside Latin-1 in a view's SQL,
# a comment or a table property (Spark's schema JSON) into '?'. These columns are free text in
# no index: Unicode, as in Derby. Names and partition values (keys) stay Latin-1.
_UNICODE = "character set utf8mb4 collate utf8mb4_bin"
UNICODE_TEXT_SQL = f"""
alter table TBLS modify VIEW_ORIGINAL_TEXT mediumtext {_UNICODE},
    modify VIEW_EXPANDED_TEXT mediumtext {_UNICODE};
alter table TABLE_PARAMS modify PARAM_VALUE mediumtext {_UNICODE};
alter table SD_PARAMS modify PARAM_VALUE mediumtext {_UNICODE};
alter table SERDE_PARAMS modify PARAM_VALUE mediumtext {_UNICODE};
alter table PARTITION_PARAMS modify PARAM_VALUE varchar(4000) {_UNICODE};
alter table DATABASE_PARAMS modify PARAM_VALUE varchar(4000) {_UNICODE};
alter table COLUMNS_V2 modify COMMENT varchar(256) {_UNICODE},
    modify TYPE_NAME mediumtext {_UNICODE};
alter table PARTITION_KEYS modify PKEY_COMMENT varchar(4000) {_UNICODE};
alter table DBS modify `DESC` varchar(4000) {_UNICODE};
"""
# MariaDB's Connector/J names itself "MariaDB"; DataNucleus and Hive's direct SQL know MySQL.
# No connectTimeout/socketTimeout here: with them a cold SF 0.05 `dbt run` took 199-210 s,
# without 166-173 s (docs/benchmarks.md; runs spread widely). A dead MariaDB on loopback refuses
# the connection at once, and the retry settings below make that fail fast; a frozen one
# (SIGSTOP) now makes a statement wait (cinelake sql and status keep their own timeouts).
JDBC_OPTIONS = "useMysqlMetadata=true"
HIVE_SITE = "hive-site.xml"


def jdbc_url(host: str, port: int) -> str:
    return f"jdbc:mariadb://{host}:{port}/{DATABASE}?{JDBC_OPTIONS}"


def hive_site_properties(url: str, password: str) -> dict[str, str]:
    """The metastore's properties: the connection, and a schema that is only ever checked
    (never created nor altered by DataNucleus: the official scripts made it)."""
    return {
        "javax.jdo.option.ConnectionURL": url,
        "javax.jdo.option.ConnectionDriverName": "org.mariadb.jdbc.Driver",
        "javax.jdo.option.ConnectionUserName": USER,
        "javax.jdo.option.ConnectionPassword": password,
        "hive.metastore.schema.verification": "true",
        "datanucleus.schema.autoCreateAll": "false",
        "datanucleus.rdbms.datastoreAdapterClassName": (
            "org.datanucleus.store.rdbms.adapter.MySQLAdapter"
        ),
        # Hive's own default, said here: MariaDB's is REPEATABLE-READ.
        "datanucleus.transactionIsolation": "read-committed",
        # Hive retries a failed metastore call 10 times, 2 s apart, and the retried call
        # retries opening its store as often again: with MariaDB down every statement hung
        # for minutes (and every new session with it, `use default` being a metastore call).
        # One retry a second later rides out a dropped connection and fails within seconds.
        "hive.hmshandler.retry.attempts": "2",
        "hive.hmshandler.retry.interval": "1000ms",
    }


def hive_site_xml(properties: dict[str, str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<configuration>"]
    for name, value in properties.items():
        lines.append(
            f"  <property><name>{escape(name)}</name><value>{escape(value)}</value></property>"
        )
    return "\n".join([*lines, "</configuration>", ""])


def write_hive_site(settings: Settings, host: str = LOOPBACK) -> Path:
    """Write `<home>/spark/conf/hive-site.xml`, owner-only from its creation (it holds the
    password), replacing the old one in one rename. MariaDB on `host` (compose: its service)."""
    folder = spark_runtime.conf_dir(settings)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    url = jdbc_url(host, settings.mysql_port)
    text = hive_site_xml(hive_site_properties(url, settings.ensure_metastore_password()))
    path = folder / HIVE_SITE
    staging = folder / f".{HIVE_SITE}.{os.getpid()}"
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    staging.replace(path)
    return path


def refuse_derby_leftovers(settings: Settings) -> None:
    """A home from before the catalog moved to MariaDB: its Derby catalog is not migrated, and
    the warehouse it described holds table folders that the new catalog does not know, where
    dbt would build the same tables again (Spark refuses a managed table on a non-empty
    folder). Nothing in either is lost: silver and gold are rebuilt from bronze, in the lake."""
    derby = settings.spark_dir / "metastore_db"
    if derby.exists():
        warehouse = settings.spark_dir / "warehouse"
        raise ServiceError(
            f"{derby} is a Derby catalog of an older Cinelake; the catalog is now in MariaDB. "
            f"Remove it, {settings.spark_dir / 'derby.log'} and {warehouse} (silver and gold; the "
            "next `dbt build` registers bronze again and rebuilds them), then `cinelake up`"
        )


def schema_sql() -> str:
    """Hive's scripts, read from the pinned release archive, in the order they run, with
    Cinelake's Unicode text columns."""
    archive = spark_jars.jar_dir() / SCRIPTS_ARCHIVE
    if not archive.is_file():
        spark_jars.require()  # the clear error: how to fetch what the pom pins
    texts = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            name = member.name.rsplit("/", 1)[-1]
            if (
                member.isfile()
                and member.name.endswith(f"{SCRIPTS_DIR}/{name}")
                and name in SCRIPTS
            ):
                texts[name] = tar.extractfile(member).read().decode()
    missing = [name for name in SCRIPTS if name not in texts]
    if missing:
        raise ServiceError(f"{archive.name} lacks the metastore scripts {', '.join(missing)}")
    # The addition before the last script, which writes the version: the schema is whole when
    # it says 2.3.0.
    return "\n".join(
        [*(texts[name] for name in SCRIPTS[:-1]), UNICODE_TEXT_SQL, texts[SCRIPTS[-1]]]
    )


@contextlib.contextmanager
def _connect(settings: Settings, host: str, port: int):
    conn = pymysql.connect(
        host=host,
        port=port,
        user=USER,
        password=settings.ensure_metastore_password(),
        database=DATABASE,
        client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,
        autocommit=True,
        connect_timeout=10,
    )
    with contextlib.closing(conn):
        yield conn


def _one(cursor, sql: str):
    cursor.execute(sql)
    row = cursor.fetchone()
    return row[0] if row else None


def _installed_version(cursor) -> str | None:
    """The schema's version; None when no script ever ran to the end of its VERSION row."""
    tables = _one(
        cursor,
        f"select count(*) from information_schema.tables where table_schema = '{DATABASE}' "
        "and table_name = 'VERSION'",
    )
    return _one(cursor, "select SCHEMA_VERSION from VERSION where VER_ID = 1") if tables else None


def _drop_all_tables(cursor) -> None:
    """Clear a schema whose creation was cut short (DDL is not transactional in MariaDB)."""
    cursor.execute(
        "select table_name from information_schema.tables where table_schema = %s", (DATABASE,)
    )
    names = [row[0] for row in cursor.fetchall()]
    if names:
        tables = ", ".join(f"`{name}`" for name in names)
        cursor.execute(
            f"set foreign_key_checks = 0; drop table {tables}; set foreign_key_checks = 1"
        )
        while cursor.nextset():
            pass


def ensure_schema(settings: Settings, host: str = LOOPBACK, port: int | None = None) -> bool:
    """Create Hive's schema unless it is there; True when it was created now."""
    port = port or settings.mysql_port
    try:
        with _connect(settings, host, port) as conn, conn.cursor() as cursor:
            version = _installed_version(cursor)
            if version == SCHEMA_VERSION:
                return False
            catalog_tables = _one(
                cursor,
                f"select count(*) from information_schema.tables where table_schema = "
                f"'{DATABASE}' and table_name = 'DBS'",
            )
            # Spark writes its first database only once the schema is whole: a catalog with
            # databases and another version is someone's data, never dropped here.
            if catalog_tables and _one(cursor, "select count(*) from DBS"):
                raise ServiceError(
                    f"the metastore database holds a Hive schema of version {version}; Spark's "
                    f"Hive client needs {SCHEMA_VERSION}"
                )
            _drop_all_tables(cursor)  # a first start, or one cut short
            cursor.execute(schema_sql())
            while cursor.nextset():  # every statement's result: an error surfaces here
                pass
            version = _installed_version(cursor)
    except pymysql.MySQLError as exc:
        raise ServiceError(f"the Hive metastore schema could not be created: {exc}") from None
    if version != SCHEMA_VERSION:
        raise ServiceError(f"Hive's scripts left the metastore at version {version}")
    return True


def main() -> int:
    """Compose's one-shot: the schema in the `mysql` service (CINELAKE_MYSQL_HOST/PORT)."""
    try:
        settings = load_settings()
        created = ensure_schema(settings, settings.mysql_host, settings.mysql_port)
    except (ServiceError, SettingsError) as exc:
        print(f"cinelake: error: {exc}", file=sys.stderr)
        return 1
    print("metastore schema " + ("created" if created else "already there"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
