#!/bin/bash
# Run by the MariaDB image's entrypoint once, when it initialises an empty data directory,
# after it has created the shop database and its owner (MARIADB_DATABASE, MARIADB_USER) and
# loaded the schema: adds the read-only `etl` user that ingestion reads the shop as, with
# the same grants cinelake/stack/mariadb.py::bootstrap_sql gives it under `cinelake up`.
# The entrypoint sources this file (it is not executable), so it sets no shell options.

# A SQL string literal: backslashes and quotes escaped (MariaDB rules, as mariadb.py's _quote).
cinelake_sql_string() {
    local value=${1//\\/\\\\}
    printf "'%s'" "${value//\'/\\\'}"
}

cinelake_etl_account="$(cinelake_sql_string "${CINELAKE_MYSQL_ETL_USER:?}")@'%'"
# Through stdin, so that the password never shows up in a process list.
MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb --protocol=socket --user=root <<SQL
create user if not exists $cinelake_etl_account
    identified by $(cinelake_sql_string "${CINELAKE_MYSQL_ETL_PASSWORD:?}");
grant select, show view on \`${MARIADB_DATABASE:?}\`.* to $cinelake_etl_account;
SQL
unset -f cinelake_sql_string
unset cinelake_etl_account
