"""`cinelake docs`: serve the generated dbt docs site."""

from __future__ import annotations

import argparse

from cinelake.cli import arguments
from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "docs",
        help="serve the generated dbt docs site (after dbt docs generate) on 127.0.0.1, or "
        "on CINELAKE_BIND_HOST",
    )
    parser.add_argument(
        "--port",
        type=arguments.setting_int("docs_port", "a TCP port"),
        default=None,
        help="default: CINELAKE_DOCS_PORT or 8580",
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.stack import docs_site

    docs_site.serve(arguments.with_flags(settings, docs_port=args.port).docs_port)
    return 0
