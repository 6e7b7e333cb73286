#!/bin/bash
# Run by the MariaDB image's entrypoint once, when it initialises an empty data directory:
# the `metastore` database (Spark's catalog, the Hive metastore) and its owner, who may touch
# nothing else, as cinelake/stack/mariadb.py::bootstrap_sql makes them under `cinelake up`.
# Hive's schema is created in it by the one-shot `metastore-schema` service (Hive's official
# scripts, cinelake/stack/metastore.py). The entrypoint sources this file: no shell options.

# A SQL string literal: backslashes and quotes escaped (MariaDB rules, as mariadb.py's _quote).
cinelake_sql_string() {
    local value=${1//\\/\\\\}
    printf "'%s'" "${value//\'/\\\'}"
}

# Through stdin, so that the password never shows up in a process list. latin1, as Hive's
# scripts declare their tables (InnoDB's index limit on their 767-character keys).
MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb --protocol=socket --user=root <<SQL
create database if not exists metastore character set latin1 collate latin1_bin;
create user if not exists 'metastore'@'%'
    identified by $(cinelake_sql_string "${CINELAKE_METASTORE_PASSWORD:?}");
grant all privileges on metastore.* to 'metastore'@'%';
SQL
unset -f cinelake_sql_string
