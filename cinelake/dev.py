"""`cinelake dev`: the analytics engineer's edit loop, with dbt kept warm.

A plain `dbt build --select <model>` spends most of its time before Spark does any work:
Python imports, parsing, the adapter's connection and the on-run-start hooks (20 s of them
re-register bronze). This process pays for the imports once, re-parses only the files that
changed (dbt's partial parsing, in a target folder of its own so that it never invalidates the
user's), and on each save builds what the save modified (`state:modified` against the manifest
of the last green build) with its tests, then prints the failing tests' rows and the first rows
of every rebuilt model. Bronze is registered once, and again only when a bronze table appears:
new loads into a registered Delta table need nothing, Delta reads its log on every query.

It takes no lock (a `cinelake build` next to it is never kept waiting) and holds no
connection between builds. A Jinja or SQL error is dbt's own message and the loop goes on; a
dead Thrift server is one line, and the next save tries again.

`cinelake dev --once SELECTOR` builds a selection through the running loop (a Unix socket in
<home>/run, owner-only) and prints its report; with no loop running it runs plain dbt.
"""

from __future__ import annotations

import contextlib
import io
import json
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cinelake import lake
from cinelake.config import PROJECT_ROOT, Settings
from cinelake.errors import CinelakeError
from cinelake.stack import sql_client
from cinelake.stack.process import port_open

# What a save can change in the dbt project: each file type dbt parses.
WATCHED_DIRS = ("models", "macros", "seeds", "snapshots", "tests/dbt", "docs")
WATCHED_FILES = ("dbt_project.yml", "selectors.yml")
WATCHED_SUFFIXES = (".sql", ".yml", ".yaml", ".csv", ".md")
POLL_S = 0.25  # how often the files are looked at: a stat of ~200 files, well under 1 ms
QUIET_S = 0.2  # an editor's save is several writes: build when they stopped this long
SHOWN_ROWS = 10
# The same vars on every parse and build, so that partial parsing stays valid between saves
# (a change of --vars re-parses the whole project): the on-run-start hooks that need doing
# once (the ops tables) or only when bronze changed are run-operations of this process.
DEV_VARS = {"register_bronze": False, "ops_tables": False}
SOCKET_NAME = "dev.sock"
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS


def socket_path(settings: Settings) -> Path:
    return settings.run_dir / SOCKET_NAME


def project_files(project_dir: Path) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file a save can change, by path."""
    paths = [project_dir / name for name in WATCHED_FILES]
    for folder in WATCHED_DIRS:
        paths.extend(p for p in (project_dir / folder).rglob("*") if p.suffix in WATCHED_SUFFIXES)
    found = {}
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            stat = path.stat()
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def bronze_tables(settings: Settings) -> frozenset[str]:
    """The bronze tables that hold a Delta log (local or S3 lake): registration is needed
    again only when this set changes."""
    fs, root = lake.filesystem(lake.bronze_url(settings.lake_url))
    return frozenset(fs.glob(f"{root.rstrip('/')}/*/*/_delta_log"))


@dataclass
class Report:
    """What one build did, as the loop prints it and sends to `--once`."""

    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def say(self, text: str = "") -> None:
        self.lines.append(text)

    def table(self, columns: list[str], rows: list[tuple]) -> None:
        text = io.StringIO()
        sql_client.print_table(columns, rows, out=text)
        self.lines.extend(text.getvalue().splitlines())


class WarmDbt:
    """dbt in this process: one parse per change, builds against the last green manifest."""

    def __init__(self, settings: Settings, project_dir: Path):
        from dbt.cli.main import dbtRunner  # seconds of imports: paid once, here

        self.settings, self.project_dir = settings, project_dir
        self.target = settings.home / "dev" / "target"
        self.state = settings.home / "dev" / "state"  # the manifest of the last green build
        self.runner_class = dbtRunner
        self.manifest: Any = None
        self.registered: frozenset[str] | None = None
        self.ops_tables_ready = False

    def _args(self, command: str, *extra: str, **vars: bool) -> list[str]:
        return [command, "--project-dir", str(self.project_dir), "--target-path",
                str(self.target), "--vars", json.dumps({**DEV_VARS, **vars}), *extra]  # fmt: skip

    def server_answers(self) -> bool:
        return port_open(self.settings.thrift_port, self.settings.thrift_host)

    def prepare(self, report: Report) -> bool:
        """What the on-run-start hooks skipped here do: the ops tables once, and bronze's
        registration when a table appeared since the last one."""
        if not self.ops_tables_ready:
            if not self._operation("create_ops_tables", report, ops_tables=True):
                return False
            self.ops_tables_ready = True
        return self.register_bronze(report)

    def _operation(self, macro: str, report: Report, **vars: bool) -> bool:
        """`dbt run-operation macro` on the parsed manifest, its hook var turned on."""
        operation = self._args("run-operation", macro, **vars)
        if self.runner_class(manifest=self.manifest).invoke(operation).success:
            return True
        report.ok = False
        report.say(f"{macro} failed (dbt says why above)")
        return False

    def parse(self) -> bool:
        """Parse what changed since the last parse (dbt's partial parsing); False on an error,
        which dbt has printed."""
        result = self.runner_class().invoke(self._args("parse"))
        if not result.success:
            return False
        self.manifest = result.result
        # the first parse is the baseline: the first save compares with the project as the
        # loop found it (what was edited before it started is built by naming it: --once)
        if not (self.state / "manifest.json").is_file():
            self.keep_state()
        return True

    def keep_state(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.target / "manifest.json", self.state / "manifest.json")

    def register_bronze(self, report: Report) -> bool:
        """Register bronze when a table appeared since the last registration."""
        tables = bronze_tables(self.settings)
        if tables == self.registered:
            return True
        if not self._operation("register_bronze_sources", report, register_bronze=True):
            return False
        self.registered = tables
        return True

    def build(self, selector: str | None, report: Report) -> None:
        """Build `selector`, or what changed since the last green build, with its tests."""
        settings = self.settings
        if not self.server_answers():
            report.ok = False
            report.say(f"the Spark Thrift server does not answer on {settings.thrift_host}:"
                       f"{settings.thrift_port}: start it with `cinelake up`; trying again on "
                       "the next save")  # fmt: skip
            return
        if not self.prepare(report):
            return
        if selector:
            selection = ["--select", selector]
        else:
            selection = ["--select", "state:modified", "--state", str(self.state)]
        # no cache of every schema's tables (a listing of the whole catalog): the few
        # relations one model needs are looked up when it needs them
        build = self._args("build", "--no-populate-cache", *selection)
        result = self.runner_class(manifest=self.manifest).invoke(build)
        outcomes = list(getattr(result.result, "results", None) or [])
        if result.exception is not None or not outcomes and not result.success:
            report.ok = False
            report.say(f"dbt stopped: {result.exception or 'see above'}")
            return
        if not outcomes:
            report.say("nothing changed since the last green build")
            return
        describe(outcomes, report, settings)
        report.ok = result.success
        if result.success and not selector:
            self.keep_state()


def describe(outcomes: list[Any], report: Report, settings: Settings) -> None:
    """Each node's status, the rows of every failing test and the first rows of each model."""
    outcomes = [o for o in outcomes if o.node.resource_type != "operation"]  # the hooks
    for outcome in outcomes:
        node = outcome.node
        message = (outcome.message or "").strip().splitlines()
        report.say(f"{outcome.status:>7}  {node.resource_type} {node.name}"
                   + (f": {message[0]}" if message else ""))  # fmt: skip
    for outcome in outcomes:
        node = outcome.node
        failing = node.resource_type == "test" and str(outcome.status) in ("fail", "warn")
        built = node.resource_type in ("model", "seed", "snapshot") and outcome.status == "success"
        if failing:
            sql = f"select * from ({node.compiled_code}) failing limit {SHOWN_ROWS}"
            title = f"-- rows failing {node.name}"
        elif built and node.relation_name:
            sql = f"select * from {node.relation_name} limit {SHOWN_ROWS}"
            title = f"-- first rows of {node.name}"
        else:
            continue
        report.say(title)
        try:
            report.table(*sql_client.run(settings, sql))
        except CinelakeError as exc:
            report.say(f"(could not read them: {exc})")


class Loop:
    """The watcher: one build at a time, for a save or for a `--once` request."""

    def __init__(self, settings: Settings, project_dir: Path, out: TextIO = sys.stdout):
        self.settings, self.project_dir, self.out = settings, project_dir, out
        self.requests: queue.Queue[tuple[str, Callable[[Report], None]]] = queue.Queue()
        self.dbt = WarmDbt(settings, project_dir)

    def run(self, cycles: int | None = None) -> None:
        """Watch until interrupted (or for `cycles` builds: tests)."""
        self.say(f"dev: watching {self.project_dir} (Ctrl-C stops)")
        seen = project_files(self.project_dir)
        if self.dbt.parse() and self.dbt.server_answers():
            self.dbt.prepare(Report())  # so that the first save goes as fast as the next
        self.say("dev: ready")
        with self.serving():
            while cycles is None or cycles > 0:
                time.sleep(POLL_S)
                with contextlib.suppress(queue.Empty):
                    selector, answer = self.requests.get_nowait()
                    answer(self.cycle(selector))
                    cycles = None if cycles is None else cycles - 1
                    continue
                now = project_files(self.project_dir)
                if now == seen:
                    continue
                before = seen
                while True:  # until the editor stops writing
                    time.sleep(QUIET_S)
                    seen, now = now, project_files(self.project_dir)
                    if now == seen:
                        break
                changed = sorted(p for p in set(now) | set(before) if now.get(p) != before.get(p))
                names = ", ".join(str(p.relative_to(self.project_dir)) for p in changed)
                self.say(f"dev: saved {names}")
                self.cycle(None)
                cycles = None if cycles is None else cycles - 1

    def cycle(self, selector: str | None) -> Report:
        started = time.monotonic()
        report = Report()
        if self.dbt.parse():
            self.dbt.build(selector, report)
        else:
            report.ok = False
            report.say("dbt could not parse the project (its error is above); fix and save")
        report.say(f"dev: {'ok' if report.ok else 'FAILED'} in {time.monotonic() - started:.1f} s")
        for line in report.lines:
            self.say(line)
        return report

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """The `--once` socket: one request (a selector) per connection, answered with the
        report as JSON once its build is done."""
        path = socket_path(self.settings)
        if len(str(path)) > MAX_SOCKET_PATH:
            raise CinelakeError(f"{path} is too long for a Unix socket: use a shorter "
                                "CINELAKE_HOME for `cinelake dev`")  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        path.chmod(0o600)
        server.listen()
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                with contextlib.suppress(OSError):
                    conn, _ = server.accept()
                    threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        try:
            yield
        finally:
            stop.set()
            server.close()
            path.unlink(missing_ok=True)

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rw") as stream:
            selector = stream.readline().strip()
            done = threading.Event()
            reply: list[Report] = []
            self.requests.put((selector, lambda r: (reply.append(r), done.set())))
            done.wait()
            stream.write(json.dumps({"ok": reply[0].ok, "lines": reply[0].lines}) + "\n")


def once(settings: Settings, selector: str, project_dir: Path = PROJECT_ROOT) -> int:
    """Build `selector` through the running loop, or with plain dbt when none runs."""
    path = socket_path(settings)
    if path.exists():
        with contextlib.suppress(ConnectionRefusedError, FileNotFoundError), \
                socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:  # fmt: skip
            client.connect(str(path))
            with client.makefile("rw") as stream:
                stream.write(selector + "\n")
                stream.flush()
                answer = json.loads(stream.readline())
            print("\n".join(answer["lines"]))
            return 0 if answer["ok"] else 1
    print("dev: no `cinelake dev` running: plain dbt", flush=True)
    return subprocess.run(["dbt", "build", "--project-dir", str(project_dir), "--select",
                           selector], check=False).returncode  # fmt: skip


def watch(settings: Settings, project_dir: Path = PROJECT_ROOT) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        Loop(settings, project_dir).run()
    return 0
