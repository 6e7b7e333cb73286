"""`cinelake sources-yml NAME`: the dbt sources YAML of what a database landed in bronze."""

from __future__ import annotations

import argparse

from cinelake.config import Settings
from cinelake.errors import UsageError


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sources-yml",
        help="write models/silver/<name>/_<name>__sources.yml from what a database landed",
        description="Read the schema of the Delta tables `cinelake ingest <name>` landed in "
        "bronze and write the dbt sources YAML (tables, columns, Spark types) that `dbt build` "
        "registers in schema bronze.",
    )
    parser.add_argument("source", help="a database of databases.yml (or shop)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.ingest import sources_yml

    try:
        path = sources_yml.write(settings.lake_url, args.source, force=args.force)
    except (FileExistsError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {path}: `dbt build` registers its tables in schema bronze")
    return 0
