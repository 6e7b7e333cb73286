"""`cinelake demo-data`: generate the demo sources, or advance the shop by one day."""

from __future__ import annotations

import argparse

from cinelake.cli import arguments
from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo-data",
        help="generate the demo sources (CSV files, shop database, TMDB stand-in data)",
        description="Generate movies.csv/series.csv, load the MySQL shop database and the "
        "TMDB stand-in's movies, deterministically for a seed; or apply one more day of "
        "shop activity with --advance-day. Needs `cinelake up`.",
    )
    parser.add_argument(
        "--scale",
        type=arguments.positive_float,
        default=1.0,
        help="scale factor: 1 = 25k titles, 300k viewing sessions (default 1)",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--as-of",
        type=arguments.date,
        default=None,
        help="the demo's today, YYYY-MM-DD (default: CINELAKE_DEMO_AS_OF or today)",
    )
    parser.add_argument(
        "--advance-day",
        action="store_true",
        help="apply the next simulated day to the shop database",
    )
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.demo import generate

    if args.advance_day:
        entry = generate.advance_day(settings)
        print(f"day {entry['day']} ({entry['date']}) applied to the shop database")
        for verb in ("inserted", "updated"):
            for table, count in entry[verb].items():
                print(f"  {verb:<9} {table:<17} {count:>8}")
        return 0
    as_of = generate.default_as_of(settings) if args.as_of is None else args.as_of
    manifest = generate.generate(settings, args.scale, args.seed, as_of)
    for name, entry in manifest["files"].items():
        defects = sum(entry["defects"].values())
        print(
            f"{name:<12} {entry['data_lines']:>9} lines  {entry['titles']:>7} titles  "
            f"{defects:>6} injected defects  {entry['path']}"
        )
    tmdb = manifest["tmdb"]
    print(
        f"tmdb         {tmdb['movies']:>9} movies ({tmdb['shared_with_csv']} shared with CSV, "
        f"{tmdb['tmdb_only']} TMDB-only)"
    )
    for table, count in manifest["shop"]["tables"].items():
        print(f"shop.{table:<17} {count:>9} rows")
    print(f"manifest: {settings.demo_dir / 'manifest.json'} ({manifest['seconds']} s)")
    return 0
