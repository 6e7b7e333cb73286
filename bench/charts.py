"""The benchmark figures as charts: SVG files that docs/benchmarks.md embeds.

Reads the JSON figures that bench/dbt_build.py writes (`dbt_sf<scale>.json` for the stages,
`dbt_formats_sf<scale>.json` for the table formats), kept beside the doc in
docs/benchmarks/, and draws, with the docs overview's bar charts (cinelake.ops.pictures):

- growth.svg: per scale, the warm full build against the engine floor, and per scale and
  table format the warm full build and the size of silver and gold on disk;
- daily.svg: per scale, the full build against the incremental `dbt build`, the daily run
  (`dbt source freshness` and `--selector daily`; in figures from before that selector, the
  slim selection `source_status:fresher+` it grew from) and the edit loop of one model.

    .venv/bin/python bench/charts.py [FOLDER]      # default: docs/benchmarks

A stage a run did not measure is left out of its chart, never drawn as zero.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cinelake.ops.pictures import Panel, panels_svg  # noqa: E402

STAGE_COLOURS = {
    "engine floor": "#9aa5b1",
    "full build": "#1f77b4",
    "incremental": "#ff7f0e",
    "daily run": "#2ca02c",
    "edit loop": "#9467bd",
}
FORMAT_COLOURS = {"parquet": "#8c564b", "delta": "#17becf"}
Pick = Callable[[dict], float | None]  # a run's figures -> one stage's value, or None


def load(folder: Path, stem: str) -> dict[float, dict]:
    """Figures of every scale for one kind of run: {scale: figures}, smallest scale first."""
    found = {}
    for path in folder.glob(f"{stem}_sf*.json"):
        match = re.fullmatch(rf"{stem}_sf([0-9.]+)\.json", path.name)
        if match:
            found[float(match.group(1))] = json.loads(path.read_text())
    return dict(sorted(found.items()))


def seconds(figures: dict, name: str) -> float | None:
    stage = figures.get(name)
    return stage["seconds"] if isinstance(stage, dict) and "seconds" in stage else None


def bars(runs: dict[float, dict], stages: dict[str, Pick]) -> tuple[list[str], list[dict]]:
    """One bar per (scale, stage) that was measured: labels and single-value stacks."""
    labels, stacks = [], []
    for scale, figures in runs.items():
        for name, pick in stages.items():
            value = pick(figures)
            if value is not None:
                labels.append(f"SF {scale:g}")
                stacks.append({name: value})
    return labels, stacks


def full_seconds(figures: dict) -> float | None:
    """The warm full build: the one on the same data as the incremental run when measured."""
    return seconds(figures, "full_again") or seconds(figures, "full")


def daily_seconds(figures: dict) -> float | None:
    """Source freshness plus the daily build; older figures name them slim_*."""
    for name in ("daily", "slim"):
        parts = [seconds(figures, f"{name}_freshness"), seconds(figures, name)]
        if None not in parts:
            return sum(parts)
    return None


def growth_panels(stages: dict[float, dict], formats: dict[float, dict]) -> list[Panel]:
    panels = []
    if stages:
        labels, stacks = bars(stages, {
            "engine floor": lambda f: seconds(f, "floor"),
            "full build": lambda f: seconds(f, "full"),
        })  # fmt: skip
        colours = {k: STAGE_COLOURS[k] for k in ("engine floor", "full build")}
        panels.append(Panel("Growth by scale: warm full build and its engine floor (seconds)",
                            labels, stacks, colours))  # fmt: skip
    if formats:
        picks = {f: (lambda fig, f=f: seconds(fig.get(f, {}), "full")) for f in FORMAT_COLOURS}
        labels, stacks = bars(formats, picks)
        panels.append(Panel("Table formats: warm full build per scale (seconds)",
                            labels, stacks, FORMAT_COLOURS))  # fmt: skip
        sizes = {
            f: (lambda fig, f=f: sum(fig[f]["size_mb"].values()) if f in fig else None)
            for f in FORMAT_COLOURS
        }
        labels, stacks = bars(formats, sizes)
        panels.append(Panel("Table formats: silver and gold on disk per scale (MB)",
                            labels, stacks, FORMAT_COLOURS))  # fmt: skip
    return panels


def daily_panels(stages: dict[float, dict]) -> list[Panel]:
    labels, stacks = bars(stages, {
        "full build": full_seconds,
        "incremental": lambda f: seconds(f, "incremental"),
        "daily run": daily_seconds,
        "edit loop": lambda f: seconds(f, "edit_loop"),
    })  # fmt: skip
    colours = {k: v for k, v in STAGE_COLOURS.items() if k != "engine floor"}
    return [Panel("Daily run against full build, per scale (seconds)", labels, stacks, colours)]


def write_charts(folder: Path) -> list[Path]:
    stages, formats = load(folder, "dbt"), load(folder, "dbt_formats")
    if not stages and not formats:
        raise SystemExit(f"no dbt_sf*.json or dbt_formats_sf*.json figures in {folder}")
    written = []
    for name, panels in (("growth.svg", growth_panels(stages, formats)),
                         ("daily.svg", daily_panels(stages) if stages else [])):  # fmt: skip
        if panels:
            (folder / name).write_text(panels_svg(panels) + "\n")
            written.append(folder / name)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "docs" / "benchmarks")
    for path in write_charts(parser.parse_args().folder):
        print(path)


if __name__ == "__main__":
    main()
