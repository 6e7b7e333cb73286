"""`cinelake ops`: the run history of dbt builds, and the docs site's completion."""

from __future__ import annotations

import argparse

from cinelake.config import Settings


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ops",
        help="the run history of dbt builds: record the last one, show its costliest nodes, "
        "complete the docs site (row counts, overview pictures)",
        description="record (after dbt build): the row counts of the tables built, the "
        "run results and the Spark cost of every node into ops.dbt_node_runs and "
        "ops.dbt_node_costs; costliest: those of the newest "
        "recorded build; docs (after dbt docs generate): the row counts of the tables into "
        "catalog.json and the star schema and pipeline health SVGs of the docs overview, into "
        "dbt's target folder.",
    )
    parser.add_argument("action", choices=("record", "costliest", "docs"))
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from cinelake.ops import store

    if args.action == "record":
        recorded = store.record(settings)
        with_cost = sum(1 for row in recorded if row["spark_jobs"])
        print(
            f"ops: recorded {len(recorded)} nodes of the last dbt build ({with_cost} ran "
            "Spark jobs) into ops.dbt_node_runs and ops.dbt_node_costs"
        )
    elif args.action == "costliest":
        store.print_costliest(store.costliest(settings))
    else:
        for what in store.complete_docs(settings):
            print(f"ops: wrote {what}")
    return 0
