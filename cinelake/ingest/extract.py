"""Extract: a part's source read into a new dlt load package on local disk, normalized into
the Parquet files that land (cinelake/ingest/land.py). Nothing reaches the lake here: a failure
drops the package, and the state it carried, as if the run had not read the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import dlt

from cinelake.ingest import bronze, crash
from cinelake.ingest.plan import Part, Tally


@dataclass
class Staged:
    """What extract hands on: the source's tally and the rows dlt staged, per table."""

    source: str
    tally: Tally
    row_counts: dict[str, int]


def extract(pipeline: dlt.Pipeline, part: Part, day: dt.date, crash_at: str) -> Staged:
    """Build the part's source from the pipeline's state, then extract and normalize it."""
    source, tally = part.build(pipeline.state)  # the state after every landed package
    try:
        bronze.prepare(source, day, part.day_snapshot)
        _crash_after_first_item(crash_at, source, part.source)
        with dlt.config.values(bronze.DLT_CONFIG):
            pipeline.extract(source, loader_file_format="parquet")
            if crash_at == f"normalize:{part.source}":
                crash.point(crash_at)
            normalize_info = pipeline.normalize()
    except Exception:
        pipeline.abort_packages()  # nothing of this package reached the lake: drop it
        raise
    row_counts = {
        table: count
        for table, count in normalize_info.row_counts.items()
        if not table.startswith("_dlt")
    }
    return Staged(part.source, tally, row_counts)


def _crash_after_first_item(crash_at: str, source: Any, source_name: str) -> None:
    """With CINELAKE_CRASH_AT=extract:<source>, die mid-extraction, after the first item."""
    if crash_at == f"extract:{source_name}":
        first = next(iter(source.resources.values()))
        first.add_map(lambda item: (crash.point(crash_at), item)[1])
