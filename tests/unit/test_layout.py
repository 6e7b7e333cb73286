"""The package's layout rules, read from the code: imports only run downward (cli, then demo,
quality and maintenance, then the ingest and stack wings, then lake and runlock, config,
errors), no module imports itself back through others, and only config.py reads the
environment."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

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


def test_importing_the_pipelines_changes_no_environment():
    code = (
        "import os; before = dict(os.environ); import cinelake.ingest.pipelines; "
        "assert dict(os.environ) == before, set(os.environ) ^ set(before)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORMALIZE__")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def test_test_modules_have_unique_names():
    """pytest imports test files by their base name (rootdir-relative 'prepend' mode): two
    test_x.py in different folders stop the whole suite at collection."""
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
