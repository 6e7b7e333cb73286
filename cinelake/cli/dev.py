"""`cinelake dev`: the edit loop, dbt kept warm; `--once SELECTOR` through it."""

from __future__ import annotations

import argparse
from pathlib import Path

from cinelake.config import PROJECT_ROOT, Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "dev",
        help="the edit loop: dbt kept warm, each save builds what it changed, with its tests",
        description="Watch models/, macros/, seeds/ and the YAML; on each save build, with "
        "their tests, the nodes the save modified since the last green build (dbt's "
        "state:modified, parsed warm in this process), then print the failing tests' rows and "
        "the first rows of each rebuilt model. Takes no lock; bronze is registered when a "
        "table appears. --once SELECTOR: build that selection through the running loop (or "
        "with plain dbt when none runs). Ctrl-C stops.",
    )
    parser.add_argument(
        "--once",
        metavar="SELECTOR",
        default=None,
        help="build this dbt selection (a model name, path:FILE, ...) and exit",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_ROOT,
        help="the dbt project to watch (default: this checkout's)",
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import dev

    if args.once:
        return dev.once(settings, args.once, args.project_dir)
    return dev.watch(settings, args.project_dir)
