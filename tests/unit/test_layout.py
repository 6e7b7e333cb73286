"""The package's layout rules, read from the code: imports only run downward (cli, then demo,
quality and maintenance, then the ingest and stack wings, then lake and runlock, config,
errors), no module imports itself back through others, only config.py reads settings (the
environment, dlt's config and secrets), sources import nothing of the app's settings, and the
ingestion stages hand each other data, never calls."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cinelake"
# A module may import its own floor and the floors below it, never one above.
FLOORS = {
    "cinelake.errors": 0,
    "cinelake.config": 1,
    "cinelake.lake": 2,
    "cinelake.runlock": 2,
    "cinelake.ingest": 3,
    "cinelake.stack": 3,
    "cinelake.demo": 4,
    "cinelake.quality": 4,
    "cinelake.ops": 4,
    "cinelake.maintenance": 4,
    "cinelake.build": 4,
    "cinelake.dev": 4,
    "cinelake.cli": 5,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor(module: str) -> int:
    return max(
        f for prefix, f in FLOORS.items() if module == prefix or module.startswith(prefix + ".")
    )


def imports() -> dict[str, set[str]]:
    """module -> the cinelake modules it imports (a `from X import y` of a module counts y)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("cinelake")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cinelake"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in modules else node.module)
        graph[name] = found - {name}
    return graph


def test_imports_only_run_downward():
    upward = [
        f"{module} -> {target}"
        for module, targets in imports().items()
        if module != "cinelake"
        for target in targets
        if target != "cinelake" and floor(target) > floor(module)
    ]
    assert upward == []


def test_no_import_circles():
    graph = imports()
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif len(path) < len(graph):
                visit(target, [*path, target])

    for module in graph:
        visit(module, [module])
    assert circles == []


def test_only_config_reads_the_environment():
    readers = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if "os.environ" in path.read_text() or "getenv" in path.read_text()
    ]
    assert readers == ["cinelake/config.py"]


def dlt_settings_reads(code: str) -> list[str]:
    """`dlt.secrets` / `dlt.config` used to read a value (`.get`, `[...]`, the `.value`
    defaults dlt resolves), as `line: dlt.x`. `dlt.config.values(...)`, a context manager
    handing configuration *to* dlt around a pipeline step (bronze.DLT_CONFIG), is
    injection, not a read: allowed anywhere."""
    tree = ast.parse(code)
    injected = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "values"
    }
    return [
        f"{node.lineno}: dlt.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "dlt"
        and node.attr in ("secrets", "config")
        and id(node) not in injected
    ]


def test_only_config_reads_dlts_config_and_secrets():
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted(PACKAGE.rglob("*.py"))
        if dlt_settings_reads(path.read_text())
    ]
    assert readers == ["cinelake/config.py"]


@pytest.mark.parametrize(
    ("code", "reads"),
    [
        ("with dlt.config.values({'a': 1}):\n    pass\n", []),
        ("x = dlt.secrets.get('sources.x.credentials')\n", ["1: dlt.secrets"]),
        ("def f(token: str = dlt.secrets.value): ...\n", ["1: dlt.secrets"]),
        ("x = dlt.config['sources.x.path']\n", ["1: dlt.config"]),
    ],
)
def test_the_check_tells_injection_from_reading(code, reads):
    assert dlt_settings_reads(code) == reads


def test_sources_import_nothing_of_the_apps_settings():
    """A source takes its constants from its own settings.py and its values as arguments, so
    it can be read, tested and moved alone."""
    offenders = [
        f"{module} -> {target}"
        for module, targets in imports().items()
        if module == "cinelake.ingest.sources" or module.startswith("cinelake.ingest.sources.")
        for target in targets
        if target == "cinelake.config" or target.startswith("cinelake.config.")
    ]
    assert offenders == []


# The stages of an ingestion run, in the order cinelake/ingest/pipelines.py calls them.
STAGES = ("plan", "recover", "extract", "land", "verify", "report")


def test_the_ingestion_stages_hand_each_other_data_not_calls():
    """A run passes each stage once, from pipelines.py: a stage takes from another only its
    data types and constants (capitalised names: Part, Staged, TableMetrics...), never a
    function or the module, which would send the run back into a stage it has left."""
    stage_modules = {f"cinelake.ingest.{stage}" for stage in STAGES}
    offenders = []
    for stage in STAGES:
        for node in ast.walk(ast.parse((PACKAGE / "ingest" / f"{stage}.py").read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in stage_modules:
                names = [a.name for a in node.names if not a.name[:1].isupper()]
            elif isinstance(node, ast.ImportFrom) and node.module == "cinelake.ingest":
                names = [a.name for a in node.names if a.name in STAGES]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name in stage_modules]
            else:
                continue
            offenders += [f"{stage} -> {node.module or ''}:{name}" for name in names]
    assert offenders == []


def test_importing_the_pipelines_changes_no_environment():
    code = (
        "import os; before = dict(os.environ); import cinelake.ingest.pipelines; "
        "assert dict(os.environ) == before, set(os.environ) ^ set(before)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORMALIZE__")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def test_tests_are_a_package_and_import_helpers_not_conftest():
    """Every test folder is a package (modules are tests.<folder>.<name>, so base names may
    repeat); shared code is imported from tests.helpers, never from a conftest file, which
    pytest loads itself and which holds only fixtures."""
    folders = {p.parent for p in (ROOT / "tests").rglob("*.py")}
    assert (
        sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists()) == []
    )
    importing_conftest = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("*.py")
        if any(
            line.startswith(("from conftest", "import conftest"))
            for line in p.read_text().splitlines()
        )
    ]
    assert importing_conftest == []
