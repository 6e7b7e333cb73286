"""bench/charts.py: the benchmark figures drawn as the charts docs/benchmarks.md embeds."""

from __future__ import annotations

import importlib.util
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
_spec = importlib.util.spec_from_file_location("bench_charts", ROOT / "bench" / "charts.py")
charts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(charts)


def write(folder: Path, name: str, figures: dict) -> None:
    (folder / name).write_text(json.dumps(figures))


def bars(svg: Path) -> dict[str, float]:
    """'<label> <stage>' -> bar height, for every bar drawn (the last panel's if several)."""
    root = ET.fromstring(svg.read_text())
    found = {}
    for rect in root.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        if title is not None:
            found["".join(title.itertext()).split(":")[0]] = float(rect.get("height"))
    return found


def panel_bars(svg: Path) -> list[dict[str, float]]:
    """The bars of each panel, top to bottom (a panel starts at its bold title)."""
    panels: list[dict[str, float]] = []
    for element in ET.fromstring(svg.read_text()):
        if element.tag == f"{SVG}text" and element.get("font-weight") == "bold":
            panels.append({})
        title = element.find(f"{SVG}title")
        if element.tag == f"{SVG}rect" and title is not None:
            panels[-1]["".join(title.itertext()).split(":")[0]] = float(element.get("height"))
    return panels


def test_each_measured_stage_is_a_bar_in_proportion_and_a_missing_one_is_no_bar(tmp_path):
    write(tmp_path, "dbt_sf1.json", {"scale": 1, "full": {"seconds": 100.0},
                                     "floor": {"seconds": 50.0}, "incremental": {"seconds": 80.0},
                                     "edit_loop": {"seconds": 10.0}})  # fmt: skip
    write(tmp_path, "dbt_sf10.json", {"scale": 10, "full": {"seconds": 200.0},
                                      "full_again": {"seconds": 180.0},
                                      "floor": {"seconds": 150.0},
                                      "incremental": {"seconds": 45.0},
                                      "slim_freshness": {"seconds": 5.0},
                                      "slim": {"seconds": 40.0},
                                      "edit_loop": {"seconds": 9.0}})  # fmt: skip
    written = charts.write_charts(tmp_path)
    assert sorted(p.name for p in written) == ["daily.svg", "growth.svg"]

    daily = bars(tmp_path / "daily.svg")
    assert "SF 1 daily run" not in daily  # not measured at SF 1: no bar, not a zero
    assert daily["SF 10 daily run"] == pytest.approx(
        daily["SF 10 incremental"], rel=0.01
    )  # 5 + 40 = 45
    # the daily chart compares with the full build on the same data (full_again)
    assert daily["SF 10 full build"] / daily["SF 10 incremental"] == pytest.approx(
        180 / 45, rel=0.01
    )
    growth = bars(tmp_path / "growth.svg")
    assert growth["SF 10 full build"] / growth["SF 1 full build"] == pytest.approx(2.0, rel=0.01)
    assert growth["SF 1 engine floor"] / growth["SF 1 full build"] == pytest.approx(0.5, rel=0.01)


def test_the_daily_run_is_taken_before_the_older_slim_figures(tmp_path):
    write(tmp_path, "dbt_sf1.json", {"scale": 1, "full": {"seconds": 100.0},
                                     "daily_freshness": {"seconds": 2.0},
                                     "daily": {"seconds": 18.0},
                                     "slim_freshness": {"seconds": 10.0},
                                     "slim": {"seconds": 70.0}})  # fmt: skip
    daily = bars(charts.write_charts(tmp_path)[0].parent / "daily.svg")
    assert daily["SF 1 daily run"] / daily["SF 1 full build"] == pytest.approx(0.2, rel=0.01)


def test_formats_are_compared_by_time_and_size(tmp_path):
    write(tmp_path, "dbt_formats_sf1.json", {
        "scale": 1,
        "parquet": {"full": {"seconds": 90.0}, "size_mb": {"silver": 30.0, "gold": 10.0}},
        "delta": {"full": {"seconds": 99.0}, "size_mb": {"silver": 50.0, "gold": 30.0}},
    })  # fmt: skip
    [growth] = charts.write_charts(tmp_path)  # no stage figures: no daily chart
    seconds, size = panel_bars(growth)
    assert seconds["SF 1 delta"] / seconds["SF 1 parquet"] == pytest.approx(1.1, rel=0.01)
    assert size["SF 1 delta"] / size["SF 1 parquet"] == pytest.approx(
        2.0, rel=0.01
    )  # 80 MB / 40 MB


def test_no_figures_is_one_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="no dbt_sf"):
        charts.write_charts(tmp_path)


def test_the_charts_of_the_doc_are_drawn_from_its_figures(tmp_path):
    """docs/benchmarks.md embeds every chart, and each equals what its JSON figures draw:
    a figure changed without `bench/charts.py` run again fails here."""
    folder = ROOT / "docs" / "benchmarks"
    for figures in folder.glob("*.json"):
        (tmp_path / figures.name).write_text(figures.read_text())
    drawn = charts.write_charts(tmp_path)
    doc = (ROOT / "docs" / "benchmarks.md").read_text()
    for chart in drawn:
        assert f"](benchmarks/{chart.name})" in doc
        assert (folder / chart.name).read_text() == chart.read_text(), chart.name
