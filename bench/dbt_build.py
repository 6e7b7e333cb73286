"""dbt on the Spark Thrift server: full build, engine floor, incremental run, edit loop.

A benchmark, not a test: it measures, prints a Markdown summary and saves the figures as JSON
(`$CINELAKE_HOME/bench/dbt_sf<scale>.json`); it asserts nothing. Run it against a running
stack whose demo data is generated (`cinelake up`, `cinelake demo-data --scale N`):

    .venv/bin/python bench/dbt_build.py [--quick]

Stages, each timed on the wall clock, with the peak RSS of the dbt process (GNU time) and of
the Thrift server's JVM (sampled from /proc every 0.2 s). Each `dbt build` stage also records
its work, which a noisy machine does not change (`spark_work`): nodes, Spark jobs, rows read
and written (`cinelake ops record`, kept in ops.dbt_node_costs), the ten nodes that read most,
and for every merge its copied rows and rewritten files (Delta's operationMetrics):
1. ingest: `cinelake ingest all` (bronze for the current demo day);
2. full_cold, then full: `dbt build --full-refresh` twice (seed, every model, data and unit
   tests); the first after a server start is slower (JIT warm-up), the ratios use the second;
3. floor: the SQL that the warm full build executed for each model and data test (dbt's own
   `target/run/` files, in the order dbt started them), run back to back over one Thrift
   connection, each Parquet table preceded by `drop table if exists` (Delta tables and views
   are replaced by their own `create or replace`): what the engine needs without dbt.
   full / floor is dbt's overhead ratio;
4. advance: `cinelake demo-data --advance-day` then `cinelake ingest all` (one more day);
5. incremental: `dbt build` after that day, versus 6. full again: `dbt build --full-refresh`
   on the same data (--quick skips full_cold and full_again: it compares with stage 2);
7. daily: the daily run, as scripts/pipeline.sh runs it once a build has succeeded. The state
   after stage 5 is kept (`dbt source freshness`, then its sources.json and the manifest);
   one more day is generated and ingested; then `dbt source freshness`, `dbt ls --select
   state:modified+` (the models whose code changed: none) and `dbt build --selector daily
   --state <that state>` with CINELAKE_DATA_TESTS_SINCE and CINELAKE_DAILY_SINCE=<before the
   day>, as `cinelake build --daily` runs them (timed together): what the new rows or changed
   code reach, with their tests;
8. edit loop: `dbt build --select <one staging model>`, the server warm, as a developer runs
   it after editing that model: a first run takes the re-parse that follows the daily
   run's CINELAKE_DATA_TESTS_SINCE (recorded as edit_loop_reparse), then a line is added to
   the model's file and the timed run re-parses only that file (dbt's partial parsing); the
   file is restored after. Then the warm path (edit_loop_warm): `cinelake dev` running, the
   same kind of edit saved three times, each timed from the save to the loop's result line
   (the median recorded). And its engine floor (edit_loop_floor): the SQL of the cold run
   (the model and its data tests, from target/run/), back to back over one Thrift
   connection, as stage 3 does for the full build; it leaves out the column comments' second
   commit, so it is a little under the true floor. `--edit-loop` runs this stage alone, on a
   built warehouse.

`--formats parquet,delta` measures the table formats side by side instead (issue 14): after
the ingest, per format, `dbt build --full-refresh --vars '{file_format: <format>}'` twice
(the first switches every table to the format; the second is the warm build the ratios use),
the engine floor of that build, and the size on disk of silver and gold (every file under
their warehouse folders: for Delta, its log and the files that older versions keep until a
VACUUM). Figures: `$CINELAKE_HOME/bench/dbt_formats_sf<scale>.json`.

Both modes also draw the figures of every scale measured in that folder as charts
(bench/charts.py: growth.svg, daily.svg); docs/benchmarks.md embeds those of docs/benchmarks/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import charts  # noqa: E402  (bench/charts.py, beside this file)

from cinelake import build  # noqa: E402
from cinelake.config import load_settings  # noqa: E402
from cinelake.ops import store  # noqa: E402
from cinelake.stack import spark_thrift, sql_client  # noqa: E402

BIN = Path(sys.executable).parent
EDIT_LOOP_MODEL = "stg_csv__movies"
EDIT_LOOP_FILE = ROOT / "models" / "silver" / "csv" / f"{EDIT_LOOP_MODEL}.sql"


class JvmPeak:
    """Peak resident memory of a process, sampled while a stage runs."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, ValueError):
                for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            self._stop.wait(0.2)

    def __enter__(self) -> JvmPeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def slowest_nodes(target: Path, count: int = 8) -> list[tuple[str, float]]:
    """The nodes of dbt's last run that took longest: where a build's time goes."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:count]
    return [(r["unique_id"].split(".", 2)[-1], round(r["execution_time"], 1)) for r in ranked]


def stage(
    name: str,
    argv: list[str],
    thrift_pid: int,
    results: dict,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> None:
    """Run one command, record wall seconds and peak RSS (MB) of it and of the JVM."""
    with tempfile.NamedTemporaryFile(suffix=".time") as out, JvmPeak(thrift_pid) as jvm:
        began = time.monotonic()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *argv], cwd=ROOT,
                              env=env, capture_output=True, text=True, check=False)  # fmt: skip
        seconds = time.monotonic() - began
        if check and done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        rss_kb = int(Path(out.name).read_text().split()[-1])
    results[name] = {
        "seconds": round(seconds, 1),
        "process_peak_mb": round(rss_kb / 1024),
        "jvm_peak_mb": round(jvm.peak_kb / 1024),
        "command": " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv)),
    }
    if Path(argv[0]).name == "dbt" and argv[1] == "build":
        results[name]["slowest"] = slowest_nodes(target_dir())
        results[name]["work"] = spark_work(load_settings())
        work = results[name]["work"]
        print(f"{name:<12} {seconds:7.1f} s  {work['nodes']} nodes, {work['spark_jobs']} Spark "
              f"jobs, {work['rows_read']:,} rows read, {work['rows_written']:,} written; "
              f"merges copied {work['merge_rows_copied']:,} rows", flush=True)  # fmt: skip
        return
    print(f"{name:<12} {seconds:7.1f} s", flush=True)


def spark_work(settings) -> dict:
    """What dbt's last invocation made Spark do, deterministic where seconds are not: its
    nodes, Spark jobs, rows read and written (summed over their stages: `cinelake ops record`,
    which also keeps them in ops.dbt_node_costs), the nodes that read most, and for each
    merge that ran, the target rows it copied and the files it rewrote (Delta's
    operationMetrics): a merge that copies most of its target rewrites the whole table."""
    costs = store.record(settings)
    results = json.loads((settings.dbt_target_path / "run_results.json").read_text())["results"]
    nodes = json.loads((settings.dbt_target_path / "manifest.json").read_text())["nodes"]
    merged = [
        f"{nodes[r['unique_id']]['schema']}.{nodes[r['unique_id']]['alias']}"
        for r in results
        if r["status"] == "success"
        and nodes.get(r["unique_id"], {}).get("config", {}).get("incremental_strategy") == "merge"
    ]
    merges = {}
    for table, (columns, rows) in zip(
        merged, sql_client.run_all(settings, [f"describe history {t} limit 1" for t in merged]),
        strict=True,
    ):  # fmt: skip
        last = dict(zip(columns, rows[0], strict=True))
        if last["operation"] != "MERGE":  # a first build or a full refresh: a replace
            continue
        metrics = last["operationMetrics"]
        metrics = json.loads(metrics) if isinstance(metrics, str) else metrics
        merges[table] = {
            "rows_copied": int(metrics.get("numTargetRowsCopied", 0)),
            "rows_updated": int(metrics.get("numTargetRowsUpdated", 0)),
            "rows_inserted": int(metrics.get("numTargetRowsInserted", 0)),
            "files_removed": int(metrics.get("numTargetFilesRemoved", 0)),
            "files_added": int(metrics.get("numTargetFilesAdded", 0)),
        }
    counts = store.table_rows(settings, list(merges))
    for table, merge in merges.items():
        # the share of the table the merge rewrote without changing it (target: <= 10 %)
        merge["copied_share"] = round(merge["rows_copied"] / max(counts[table], 1), 3)
    readers = sorted(costs, key=lambda r: -r["rows_read"])[:10]
    return {
        "nodes": len(costs),
        "spark_jobs": sum(r["spark_jobs"] for r in costs),
        "rows_read": sum(r["rows_read"] for r in costs),
        "rows_written": sum(r["rows_written"] for r in costs),
        "rows_read_by_tests": sum(
            r["rows_read"] for r in costs if r["node_id"].startswith("test.")
        ),  # fmt: skip
        "top_readers": [(r["node_id"].split(".", 2)[-1], r["rows_read"]) for r in readers],
        "merges": merges,
        "merge_rows_copied": sum(m["rows_copied"] for m in merges.values()),
    }


def run_edit_loop(settings, dbt: str, thrift_pid: int, results: dict) -> None:
    """Stage 8: one model built and tested after an edit of its file (see the docstring),
    then the engine floor of that build: what no path through dbt can go below."""
    argv = [dbt, "build", "--select", EDIT_LOOP_MODEL]
    stage("edit_loop_reparse", argv, thrift_pid, results)
    original = EDIT_LOOP_FILE.read_bytes()
    try:
        EDIT_LOOP_FILE.write_bytes(original + b"\n-- edited by bench/dbt_build.py\n")
        stage("edit_loop", argv, thrift_pid, results)
    finally:
        EDIT_LOOP_FILE.write_bytes(original)
    run_floor(settings, target_dir(), thrift_pid, results, name="edit_loop_floor", of="edit_loop")


def run_warm_edit_loop(cinelake: str, results: dict, saves: int = 3) -> None:
    """The same edit through `cinelake dev` (dbt warm in one process): from the save to the
    loop's result line, `saves` times (each a different line), the median recorded."""
    dev = subprocess.Popen([cinelake, "dev"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)  # fmt: skip
    lines: list[str] = []

    def next_result(marker_prefixes: tuple[str, ...]) -> str:
        for line in dev.stdout:
            lines.append(line)
            if line.startswith(marker_prefixes):
                return line.strip()
        sys.exit("cinelake dev exited:\n" + "".join(lines[-40:]))

    original = EDIT_LOOP_FILE.read_bytes()
    seconds: list[float] = []
    try:
        next_result(("dev: ready",))
        for n in range(saves):
            edit = f"\n-- edited by bench/dbt_build.py ({n})\n"
            EDIT_LOOP_FILE.write_bytes(original + edit.encode())
            began = time.monotonic()
            said = next_result(("dev: ok", "dev: FAILED"))
            seconds.append(time.monotonic() - began)
            if not said.startswith("dev: ok"):
                sys.exit("cinelake dev failed:\n" + "".join(lines[-60:]))
    finally:
        EDIT_LOOP_FILE.write_bytes(original)
        dev.terminate()
        dev.wait(timeout=60)
    results["edit_loop_warm"] = {
        "seconds": round(sorted(seconds)[len(seconds) // 2], 1),
        "each": [round(s, 1) for s in seconds],
        "command": f"cinelake dev, a line added to {EDIT_LOOP_FILE.name}, save to result",
    }
    print(f"{'edit_loop_warm':<12} {results['edit_loop_warm']['seconds']:7.1f} s "
          f"(each: {results['edit_loop_warm']['each']})", flush=True)  # fmt: skip


def target_dir() -> Path:
    return load_settings().dbt_target_path


def floor_statements(target: Path) -> list[tuple[str, str]]:
    """(unique_id, SQL) of every model and data test of the last run, in dbt's start order."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    started = sorted(
        (r for r in results if r["unique_id"].startswith(("model.", "test."))),
        key=lambda r: min((t["started_at"] for t in r["timing"]), default=""),
    )
    statements = []
    for result in started:
        node = nodes[result["unique_id"]]
        run_file = target / "run" / node["package_name"] / node["original_file_path"]
        if node["resource_type"] == "test":
            # a long test name is cut and hashed into its file name: the alias
            run_file = run_file / f"{node['alias']}.sql" if run_file.suffix == ".yml" else run_file
        if not run_file.is_file():  # unit tests and singular tests without run SQL
            continue
        sql = run_file.read_text().strip().rstrip(";")
        if node["resource_type"] == "model" and f"{node['alias']}__dbt_tmp" in sql:
            # an incremental run (int_title_keys is one even under --full-refresh): dbt-spark
            # first puts the model's compiled SQL in a temporary view, then inserts or merges
            # from it; the table is history and is never dropped
            compiled = target / "compiled" / node["package_name"] / node["original_file_path"]
            view = f"{node['alias']}__dbt_tmp"
            body = compiled.read_text().strip().rstrip(";")
            statements.append((result["unique_id"], f"create or replace temporary view {view} "
                               f"as {body}"))  # fmt: skip
        elif node["resource_type"] == "model" and "create or replace" not in sql.lower():
            # a Parquet table is dropped before its `create table`, as dbt-spark does; a
            # Delta table and a view are replaced by their own statement
            relation = f"{node['schema']}.{node['alias']}"
            statements.append((result["unique_id"], f"drop table if exists {relation}"))
        statements.append((result["unique_id"], sql))
    return statements


def run_floor(
    settings, target: Path, thrift_pid: int, results: dict, name: str = "floor", of: str = "full"
) -> None:
    """The SQL of the last build in `target` (stage `of`), back to back over one Thrift
    connection, recorded as `name`."""
    from pyhive import hive

    statements = floor_statements(target)
    conn = hive.connect(host="127.0.0.1", port=settings.thrift_port, username="cinelake")
    with contextlib.closing(conn), JvmPeak(thrift_pid) as jvm:
        cursor = conn.cursor()
        # The server's own setting (spark_thrift.submit_command), which dbt's sessions use.
        cursor.execute(f"set spark.sql.shuffle.partitions={settings.spark_shuffle_partitions}")
        per_node: dict[str, float] = {}
        began = time.monotonic()
        for uid, sql in statements:
            node_began = time.monotonic()
            cursor.execute(sql)  # synchronous: returns when the statement is done
            if cursor.description:
                cursor.fetchall()
            per_node[uid] = per_node.get(uid, 0.0) + time.monotonic() - node_began
        seconds = time.monotonic() - began
    ranked = sorted(per_node.items(), key=lambda item: item[1], reverse=True)[:8]
    results[name] = {
        "seconds": round(seconds, 1),
        "statements": len(statements),
        "jvm_peak_mb": round(jvm.peak_kb / 1024),
        "command": f"target/run SQL of stage '{of}', back to back over one Thrift connection",
        # the engine's own time per node, without dbt: compare with the build's slowest
        "slowest": [(uid.split(".", 2)[-1], round(sec, 1)) for uid, sec in ranked],
    }
    print(f"{name:<12} {seconds:7.1f} s ({len(statements)} statements)", flush=True)


def run_daily(settings, target: Path, thrift_pid: int, results: dict) -> None:
    """One more day, then the daily run as scripts/pipeline.sh runs it (stage 7 above)."""
    cinelake, dbt = str(BIN / "cinelake"), str(BIN / "dbt")
    state = settings.home / "bench" / "state"
    # A stale source makes `dbt source freshness` exit 1; its sources.json is written anyway.
    subprocess.run([dbt, "source", "freshness"], cwd=ROOT, capture_output=True, check=False)
    state.mkdir(parents=True, exist_ok=True)
    for name in ("manifest.json", "sources.json"):
        shutil.copy2(target / name, state / name)
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    stage("advance_2", [cinelake, "demo-data", "--advance-day"], thrift_pid, results)
    stage("ingest_day_2", [cinelake, "ingest", "all"], thrift_pid, results)
    stage("daily_freshness", [dbt, "source", "freshness"], thrift_pid, results, check=False)
    # the row tests' and the models' lower bound and the models whose code changed (none
    # here), as `cinelake build --daily` hands them to dbt (cinelake/build.py)
    env = {**os.environ, build.SINCE_ENV: since, build.LANDED_ENV: since,
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    started = time.monotonic()
    changed = build.changed_models(state, env)
    if changed is None:
        raise SystemExit("bench: dbt ls could not list the changed models")
    env[build.CHANGED_ENV] = " ".join(changed)
    results["daily_changed_models"] = {"seconds": round(time.monotonic() - started, 1),
                                       "models": changed}  # fmt: skip
    daily = ["--selector", "daily", "--state", str(state)]
    stage("daily", [dbt, "build", *daily], thrift_pid, results, env=env)
    ran = json.loads((target / "run_results.json").read_text())["results"]
    results["daily"]["nodes"] = len(ran)


def folder_mb(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


def compare_formats(settings, formats: list[str], thrift_pid: int, results: dict) -> None:
    """Per table format: a switching build, a warm build, its floor, the warehouse's size."""
    cinelake, dbt = str(BIN / "cinelake"), str(BIN / "dbt")
    warehouse = settings.home / "spark" / "warehouse"
    stage("ingest", [cinelake, "ingest", "all"], thrift_pid, results)
    for file_format in formats:
        chosen = ["--vars", json.dumps({"file_format": file_format})]
        figures: dict = {}
        stage("switch", [dbt, "build", "--full-refresh", *chosen], thrift_pid, figures)
        stage("full", [dbt, "build", "--full-refresh", *chosen], thrift_pid, figures)
        run_floor(settings, target_dir(), thrift_pid, figures)
        floor = figures["floor"]["seconds"]
        figures["overhead_ratio"] = round(figures["full"]["seconds"] / floor, 2)
        figures["size_mb"] = {
            layer: folder_mb(warehouse / f"{layer}.db") for layer in ("silver", "gold")
        }
        results[file_format] = figures
        print(f"{file_format}: {figures['size_mb']} MB, overhead {figures['overhead_ratio']}")
    if {"parquet", "delta"} <= set(formats):
        results["delta_over_parquet"] = round(
            results["delta"]["full"]["seconds"] / results["parquet"]["full"]["seconds"], 2
        )


def machine() -> dict:
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip the cold build and the second full build (the incremental run is then "
        "compared with the full build before the day)",
    )
    parser.add_argument(
        "--edit-loop",
        action="store_true",
        help="only the edit loop, both ways (cold dbt build --select, then cinelake dev), on "
        "a warehouse already built",
    )
    parser.add_argument(
        "--formats",
        default="",
        help="comma list of table formats to compare (parquet,delta): full build, floor and "
        "size per format, instead of the stages above",
    )
    args = parser.parse_args()
    # the project's profiles, as scripts/bootstrap.sh exports them
    os.environ.setdefault("DBT_PROFILES_DIR", str(ROOT / "profiles"))
    settings = load_settings()
    manifest = json.loads((settings.demo_dir / "manifest.json").read_text())
    scale = manifest["generator"]["scale"]
    thrift_pid = spark_thrift.daemon(settings).running_pid()
    if thrift_pid is None:
        sys.exit("the Spark Thrift server does not run: start the stack with `cinelake up`")
    target = target_dir()
    cinelake, dbt = str(BIN / "cinelake"), str(BIN / "dbt")
    results: dict = {
        "scale": scale,
        "machine": machine(),
        "spark_master": spark_thrift.running_master(thrift_pid),
    }

    if args.edit_loop:
        run_edit_loop(settings, dbt, thrift_pid, results)
        run_warm_edit_loop(cinelake, results)
        out = settings.home / "bench" / f"dbt_edit_loop_sf{scale:g}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(
            f"SF {scale:g}: edit loop cold {results['edit_loop']['seconds']} s, warm "
            f"{results['edit_loop_warm']['seconds']} s, engine floor "
            f"{results['edit_loop_floor']['seconds']} s (target <= 5 s at SF 1)\nfigures: {out}"
        )
        return
    if args.formats:
        compare_formats(settings, args.formats.split(","), thrift_pid, results)
        out = settings.home / "bench" / f"dbt_formats_sf{scale:g}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"delta / parquet, full build: {results.get('delta_over_parquet')}\nfigures: {out}")
        print("charts: " + ", ".join(str(c) for c in charts.write_charts(out.parent)))
        return
    stage("ingest", [cinelake, "ingest", "all"], thrift_pid, results)
    # The first build after the server starts pays for JIT warm-up and class loading: recorded,
    # but the ratios use the warm build that follows.
    if not args.quick:
        stage("full_cold", [dbt, "build", "--full-refresh"], thrift_pid, results)
    stage("full", [dbt, "build", "--full-refresh"], thrift_pid, results)
    run_floor(settings, target, thrift_pid, results)
    stage("advance", [cinelake, "demo-data", "--advance-day"], thrift_pid, results)
    stage("ingest_day", [cinelake, "ingest", "all"], thrift_pid, results)
    stage("incremental", [dbt, "build"], thrift_pid, results)
    if not args.quick:
        stage("full_again", [dbt, "build", "--full-refresh"], thrift_pid, results)
    run_daily(settings, target, thrift_pid, results)
    run_edit_loop(settings, dbt, thrift_pid, results)
    run_warm_edit_loop(cinelake, results)

    results["overhead_ratio"] = round(results["full"]["seconds"] / results["floor"]["seconds"], 2)
    full = results.get("full_again", results["full"])
    results["incremental_ratio"] = round(results["incremental"]["seconds"] / full["seconds"], 2)
    daily = sum(results[name]["seconds"] for name in
                ("daily_freshness", "daily_changed_models", "daily"))  # fmt: skip
    results["daily_ratio"] = round(daily / full["seconds"], 2)
    # the work, deterministic: rows the daily run read against the warm full build's
    results["daily_rows_read_ratio"] = round(
        results["daily"]["work"]["rows_read"] / max(full["work"]["rows_read"], 1), 3
    )
    out = settings.home / "bench" / f"dbt_sf{scale:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"\nSF {scale:g}: full {results['full']['seconds']} s, floor "
        f"{results['floor']['seconds']} s, overhead ratio {results['overhead_ratio']} (target "
        f"<= 1.3); incremental / full {results['incremental_ratio']} (target <= 0.25 at SF 10); "
        f"daily / full {results['daily_ratio']} ({results['daily']['nodes']} nodes; target "
        f"<= 0.35 at SF 1, <= 0.2 at SF 10); rows read daily / full "
        f"{results['daily_rows_read_ratio']} (target <= 0.1 at SF 1, <= 0.05 at SF 10); "
        f"edit loop {results['edit_loop']['seconds']} s\nfigures: {out}"
    )
    print("charts: " + ", ".join(str(c) for c in charts.write_charts(out.parent)))


if __name__ == "__main__":
    main()
