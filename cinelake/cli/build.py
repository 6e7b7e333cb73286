"""`cinelake build`: dbt source freshness + dbt build under the build and ingest locks."""

from __future__ import annotations

import argparse
import os

from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "build",
        help="dbt source freshness + dbt build, one at a time and never during a landing; "
        "--daily: the daily run's build (what changed since the last one)",
        description="Run `dbt source freshness`, then `dbt build [DBT_ARGS...]`, holding the "
        "locks `build` and `ingest` of CINELAKE_HOME (a second build or a `cinelake ingest` "
        "started meanwhile waits up to CINELAKE_LOCK_WAIT_S seconds, then exits 75 naming "
        "this one). A successful build's manifest, freshness and start time are kept in "
        "<home>/dbt-state (not after a build of a selection). With --daily, and such a "
        "state kept: selectors.yml's `daily` against it, row tests of the big incremental "
        "models on the rows written since it started (their built_at). Arguments it does not "
        "know go to dbt build. Exit status: dbt's.",
    )
    parser.add_argument(
        "--daily", action="store_true", help="the daily selection against the kept state"
    )
    parser.add_argument(
        "--since",
        default=None,
        metavar="'YYYY-MM-DD HH:MM:SS'",
        help="with --daily: row tests on the rows written after this UTC time instead of the "
        "kept build's start",
    )
    parser.add_argument("dbt_args", nargs=argparse.REMAINDER, help="[--] dbt build's arguments")
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake import build

    dbt_args = args.dbt_args[1:] if args.dbt_args[:1] == ["--"] else args.dbt_args
    os.umask(args.inherited_umask)  # dbt's target/ and logs as the caller's umask makes them
    return build.run(settings, args.daily, args.since, dbt_args)
