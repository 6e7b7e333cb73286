"""Land: the package extract staged, loaded into bronze as one Delta commit per table
(BronzeDeltaJob, cinelake/ingest/bronze.py).
"""

from __future__ import annotations

import dlt


def land(pipeline: dlt.Pipeline) -> str:
    """Load the staged package; its load id ("" when dlt had nothing to load). A failure
    keeps the package (some of its tables may be committed): the next run's recover step
    finishes it."""
    load_info = pipeline.load()
    return load_info.loads_ids[-1] if load_info.loads_ids else ""
