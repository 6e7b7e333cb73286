"""`cinelake sql STATEMENT`: one statement through the Thrift server, its rows printed."""

from __future__ import annotations

import argparse

from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sql",
        help="run one SQL statement through the Spark Thrift server and print its rows",
        description="Query bronze, silver and gold from a terminal, e.g. cinelake sql "
        '"select primary_title, title_type from gold.dim_title limit 10"',
    )
    parser.add_argument("statement", help="one Spark SQL statement")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.stack import sql_client

    columns, rows = sql_client.run(settings, args.statement)
    if columns:
        (sql_client.print_csv if args.csv else sql_client.print_table)(columns, rows)
    return 0
