"""The contract of cinelake/ingest/bronze.py with dlt's private filesystem classes.

BronzeDeltaJob, BronzeClient and bronze_filesystem subclass dlt internals (no public API
gives a Delta job its own commit), and pyproject.toml pins dlt to one minor for it. When an
upgrade moves what bronze.py overrides or reads, these fail in a second and name it, where
test_bronze's pipeline would fail somewhere inside a load.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import dlt
import pytest
from dlt.common.schema import Schema
from dlt.destinations.impl.filesystem.factory import filesystem
from dlt.destinations.impl.filesystem.filesystem import DeltaLoadFilesystemJob, FilesystemClient

from cinelake.ingest import bronze

BROKEN = f"dlt {dlt.__version__} changed what cinelake/ingest/bronze.py relies on: "


def parameters(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_overridden_methods_keep_their_signatures():
    assert parameters(DeltaLoadFilesystemJob.run) == ["self"], BROKEN + "DeltaLoadFilesystemJob.run"
    hook = inspect.getattr_static(FilesystemClient, "get_reference_followup_job_class", None)
    assert isinstance(hook, staticmethod), (
        BROKEN + "FilesystemClient.get_reference_followup_job_class is no longer a staticmethod"
    )
    assert parameters(hook.__func__) == ["table"], (
        BROKEN + "FilesystemClient.get_reference_followup_job_class(table)"
    )
    assert isinstance(inspect.getattr_static(filesystem, "client_class", None), property), (
        BROKEN + "filesystem.client_class is no longer a property"
    )
    location = parameters(FilesystemClient.get_open_table_location)
    assert location[:3] == ["self", "table_format", "table_name"], (
        BROKEN + f"FilesystemClient.get_open_table_location{tuple(location)}"
    )


def test_the_delta_helpers_take_bronzes_arguments():
    """BronzeDeltaJob.run calls them positionally: their arity is the contract."""
    from dlt.common.libs import deltalake, pyarrow

    calls = {
        deltalake.deltalake_storage_options: ("credentials", "options"),
        deltalake.ensure_delta_compatible_arrow_data: ("reader", "partitions"),
        pyarrow.get_local_dataset_reader: ("file_paths",),
    }
    for function, arguments in calls.items():
        try:
            inspect.signature(function).bind(*arguments)
        except TypeError as e:
            pytest.fail(BROKEN + f"{function.__name__}{arguments}: {e}")


@pytest.fixture
def client(tmp_path) -> FilesystemClient:
    """The job client dlt's loader makes from bronze's destination (a local lake)."""
    destination = bronze.destination(str(tmp_path / "lake"))
    config = destination.spec()
    config._bind_dataset_name(dataset_name="demo")
    return destination.client(Schema("demo"), config)


def test_dlt_loads_delta_tables_through_bronzes_client_and_job(client):
    assert isinstance(client, bronze.BronzeClient), BROKEN + "filesystem.client_class"
    table = {"name": "things", "table_format": "delta", "write_disposition": "append",
             "columns": {}}  # fmt: skip
    job_class = client.get_load_job_class(table, "things.a1b2c3d4e5.0.reference")
    assert job_class is bronze.BronzeDeltaJob, (
        BROKEN + f"a Delta table's reference job is {job_class.__name__}, not BronzeDeltaJob: "
        "FilesystemClient.get_reference_followup_job_class is no longer dlt's hook"
    )
    location = client.get_open_table_location("delta", "things")
    assert location.rstrip("/").endswith("/bronze/demo/things"), location


def test_a_delta_job_runs_with_the_attributes_bronze_reads(tmp_path, client):
    """A job made as dlt's loader makes it (from a reference file, then set_run_vars and
    run_managed) has, when it runs, every attribute BronzeDeltaJob.run reads."""
    staged = [str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")]
    reference = tmp_path / "things.a1b2c3d4e5.0.reference"
    reference.write_text("\n".join(staged))
    seen = {}

    class Recording(bronze.BronzeDeltaJob):
        def run(self) -> None:
            client = self._job_client
            seen.update(client=client, load_id=self._load_id, files=self.file_paths,
                        name=self.load_table_name, table=self._load_table,
                        dataset=client.dataset_name, config=client.config)  # fmt: skip

    job = Recording(str(reference))
    table = {"name": "things", "table_format": "delta", "write_disposition": "append",
             "columns": {}, bronze.DAY_SNAPSHOT_HINT: True}  # fmt: skip
    job.set_run_vars("1763862000.5", client.schema, table)
    job.run_managed(client, None)
    assert job.state() == "completed", BROKEN + f"the job did not run: {job.exception()}"
    assert seen["client"] is client, BROKEN + "RunnableLoadJob._job_client"
    assert seen["load_id"] == "1763862000.5", BROKEN + "RunnableLoadJob._load_id"
    assert seen["files"] == staged, BROKEN + "ReferenceFollowupJob.file_paths"
    assert seen["name"] == "things", BROKEN + "RunnableLoadJob.load_table_name"
    assert seen["table"].get(bronze.DAY_SNAPSHOT_HINT) is True, (
        BROKEN + "RunnableLoadJob._load_table"
    )
    assert seen["dataset"] == "demo", BROKEN + "FilesystemClient.dataset_name"
    assert hasattr(seen["config"], "credentials"), BROKEN + "the client config's credentials"
    assert hasattr(seen["config"], "deltalake_storage_options"), (
        BROKEN + "the client config's deltalake_storage_options"
    )
