"""Recover: before a source is read again, the package an interrupted run left (extracted,
normalized or half loaded) is landed, exactly once.

dlt commits a source's state (the CSV checksums, the database cursors) with the load package
it extracted, so that package must land, never be dropped and extracted again: some of its
tables may already be committed. Those are skipped by their Delta txn marker (BronzeDeltaJob),
the others committed. The local state is then brought up to the package's: a kill between
dlt's commit of an extracted package and its save of the state leaves the state one step
behind, and extracting from it would read the package's data again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import dlt
import pyarrow.parquet as pq

from cinelake.ingest import bronze

log = logging.getLogger(__name__)


@dataclass
class Recovered:
    """The packages of an interrupted run landed now: load id -> rows per table in it."""

    packages: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0


def finish_pending(pipeline: dlt.Pipeline) -> Recovered:
    """Land what an interrupted run left (normalize if needed, then load); raises, failing the
    source, when it cannot. Returns the packages' rows (whichever run committed them)."""
    if not pipeline.has_pending_data:
        return Recovered()
    pending = [*pipeline.list_extracted_load_packages(), *pipeline.list_normalized_load_packages()]
    log.warning("%s: finishing the package(s) %s of an interrupted run",
                pipeline.dataset_name, ", ".join(pending))  # fmt: skip
    began = time.monotonic()
    with dlt.config.values(bronze.DLT_CONFIG):
        pipeline.normalize()
    load_info = pipeline.load()
    pipeline.sync_destination()  # restores the package's state when it is newer than ours
    packages = {
        load_id: _package_rows(pipeline, load_id)
        for load_id in (load_info.loads_ids if load_info else [])
    }
    return Recovered(packages, round(time.monotonic() - began, 2))


def _package_rows(pipeline: dlt.Pipeline, load_id: str) -> dict[str, int]:
    """Rows per table in a loaded package's data files."""
    rows: dict[str, int] = {}
    for job in pipeline.get_load_package_info(load_id).jobs.get("completed_jobs", []):
        table, file_format = job.job_file_info.table_name, job.job_file_info.file_format
        if not table.startswith("_dlt") and file_format == "parquet":
            rows[table] = rows.get(table, 0) + pq.ParquetFile(job.file_path).metadata.num_rows
    return rows
