"""dbt run results become one row per node; Spark jobs are attributed to nodes by dbt's query
comment; the record is one idempotent MERGE with safely quoted values."""

from __future__ import annotations

import datetime as dt

import pytest

from cinelake.errors import CinelakeError
from cinelake.ops import run_history, spark_cost, store

MANIFEST = {
    "nodes": {
        "model.cinelake.dim_title": {
            "resource_type": "model", "fqn": ["cinelake", "gold", "core", "dim_title"],
            "schema": "gold", "alias": "dim_title", "config": {"materialized": "table"},
        },
        "test.cinelake.unique_dim_title_title_key": {
            "resource_type": "test", "fqn": ["cinelake", "gold", "core", "unique"],
            "schema": "gold", "alias": "unique", "config": {"materialized": "test"},
        },
    }
}  # fmt: skip
RUN_RESULTS = {
    "metadata": {"invocation_id": "inv-1", "generated_at": "2026-11-23T02:00:00Z"},
    "args": {"which": "build"},
    "results": [
        {"unique_id": "model.cinelake.dim_title", "status": "success", "execution_time": 4.5,
         "adapter_response": {"_message": "OK"}, "failures": None,
         "timing": [{"name": "compile", "started_at": "2026-11-23T01:59:00.000000Z",
                     "completed_at": "2026-11-23T01:59:00.100000Z"},
                    {"name": "execute", "started_at": "2026-11-23T01:59:00.100000Z",
                     "completed_at": "2026-11-23T01:59:04.600000Z"}]},
        {"unique_id": "test.cinelake.unique_dim_title_title_key", "status": "fail",
         "execution_time": 1.0, "adapter_response": {}, "failures": 3,
         "timing": [{"name": "execute", "started_at": "2026-11-23T01:59:05Z",
                     "completed_at": "2026-11-23T01:59:06Z"}]},
    ],
}  # fmt: skip


def test_node_runs_keep_status_timing_layer_and_relation():
    model, test = run_history.node_runs(RUN_RESULTS, MANIFEST)
    start = dt.datetime(2026, 11, 23, 1, 59, tzinfo=dt.UTC)
    assert (model.layer, model.relation) == ("gold", "gold.dim_title")
    assert (model.status, model.seconds) == ("success", 4.5)
    assert model.rows_affected is None  # dbt-spark gives no count
    assert (test.layer, test.relation, test.failures) == ("tests", None, 3)
    assert model.invocation_started_at == test.invocation_started_at == start


def test_the_results_of_docs_generate_are_not_a_build():
    with pytest.raises(CinelakeError, match="not of a build"):
        run_history.node_runs({**RUN_RESULTS, "args": {"which": "generate"}}, MANIFEST)


def job(node: str | None, submitted: str, stages: list[int]) -> dict:
    comment = f'/* {{"app": "dbt", "node_id": "{node}"}} */ create table x'
    comment = comment if node else "show tables"
    return {"jobId": 1, "description": comment, "submissionTime": submitted, "stageIds": stages}


def stage(stage_id: int, run_ms: int, cpu_ns: int, status: str = "COMPLETE") -> dict:
    return {"stageId": stage_id, "status": status, "executorRunTime": run_ms,
            "executorCpuTime": cpu_ns, "inputRecords": 100, "outputRecords": 10,
            "shuffleWriteBytes": 2048, "diskBytesSpilled": 0, "numCompleteTasks": 2}  # fmt: skip


def test_spark_cost_sums_the_stages_of_the_jobs_of_each_node_since_the_build_began():
    since = dt.datetime(2026, 11, 23, 1, 59, tzinfo=dt.UTC)
    jobs = [
        job("model.cinelake.dim_title", "2026-11-23T01:59:01.000GMT", [1, 2]),
        job("model.cinelake.dim_title", "2026-11-23T01:59:03.000GMT", [3]),
        job("model.cinelake.dim_title", "2026-11-23T01:40:00.000GMT", [4]),  # an older build
        job(None, "2026-11-23T01:59:02.000GMT", [5]),  # not dbt's
    ]
    stages = [stage(1, 1000, 500_000_000), stage(2, 200, 100_000_000), stage(3, 50, 0),
              stage(3, 70, 0), stage(2, 999, 0, status="SKIPPED"), stage(4, 9999, 0),
              stage(5, 9999, 0)]  # fmt: skip
    costs = spark_cost.costs_by_node(jobs, stages, since)
    assert list(costs) == ["model.cinelake.dim_title"]
    cost = costs["model.cinelake.dim_title"]
    assert (cost.spark_jobs, cost.stages, cost.tasks) == (2, 4, 8)  # a retried stage counts twice
    assert cost.executor_run_time_ms == 1000 + 200 + 50 + 70
    assert cost.executor_cpu_time_ms == 600
    assert (cost.rows_read, cost.rows_written, cost.shuffle_write_bytes) == (400, 40, 8192)


def test_merge_statement_is_keyed_and_quotes_values():
    rows = [{"invocation_id": "inv-1", "node_id": "model.x'y", "seconds": 1.5, "failures": None,
             "at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)}]  # fmt: skip
    sql = store.merge_statement("ops.t", rows)
    assert "'model.x\\'y'" in sql and "null" in sql and "1.5" in sql
    assert "timestamp'2026-01-02 03:04:05.000000'" in sql
    assert "on t.invocation_id = s.invocation_id and t.node_id = s.node_id" in sql
    assert "when matched then update set * when not matched then insert *" in sql


def test_row_counts_go_into_the_catalog_as_the_rows_statistic():
    catalog = {"nodes": {
        "model.cinelake.dim_title": {"stats": {"bytes": {"id": "bytes", "value": 10}}},
        "model.cinelake.stg_view": {"stats": {}},
    }}  # fmt: skip
    assert store.with_row_counts(catalog, {"model.cinelake.dim_title": 1234}) == 1
    stats = catalog["nodes"]["model.cinelake.dim_title"]["stats"]
    assert stats["rows"]["value"] == 1234 and stats["rows"]["include"] is True
    assert stats["bytes"]["value"] == 10  # the other statistics stay
    assert "rows" not in catalog["nodes"]["model.cinelake.stg_view"]["stats"]
