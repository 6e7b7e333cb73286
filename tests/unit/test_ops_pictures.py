"""The docs overview's pictures are drawn from the manifest and the ops rows given, no more."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from cinelake.ops import pictures

SVG = "{http://www.w3.org/2000/svg}"


def model(name: str, folder: str, columns: dict[str, str]) -> tuple[str, dict]:
    uid = f"model.cinelake.{name}"
    return uid, {
        "resource_type": "model", "name": name, "fqn": ["cinelake", folder, "core", name],
        "description": f"{name} described",
        "columns": {c: {"name": c, "data_type": t} for c, t in columns.items()},
    }  # fmt: skip


def relationships(child: str, column: str, parent: str, field: str) -> tuple[str, dict]:
    return f"test.cinelake.rel_{child}_{column}", {
        "resource_type": "test", "attached_node": f"model.cinelake.{child}",
        "depends_on": {"nodes": [f"model.cinelake.{parent}", f"model.cinelake.{child}"]},
        "test_metadata": {"name": "relationships",
                          "kwargs": {"column_name": column, "field": field}},
    }  # fmt: skip


MANIFEST = {
    "nodes": dict(
        [
            model("dim_title", "gold", {"title_key": "string", "primary_title": "string"}),
            model("dim_date", "gold", {"date_key": "int", "full_date": "date"}),
            model(
                "fct_views",
                "gold",
                {
                    "view_key": "string",
                    "title_key": "string",
                    "date_key": "int",
                    "minutes": "bigint",
                },
            ),  # fmt: skip
            model("stg_x__things", "silver", {"thing_id": "string"}),
            relationships("fct_views", "title_key", "dim_title", "title_key"),
            relationships("fct_views", "date_key", "dim_date", "date_key"),
            relationships("stg_x__things", "thing_id", "dim_title", "title_key"),
        ]
    )
}


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_star_schema_reads_tables_columns_and_keys_from_the_manifest():
    tables, links = pictures.star_schema(MANIFEST)
    assert set(tables) == {"dim_title", "dim_date", "fct_views"}  # gold star models only
    assert [(x.child, x.column, x.parent) for x in links] == [
        ("fct_views", "date_key", "dim_date"),
        ("fct_views", "title_key", "dim_title"),
    ]
    assert tables["fct_views"].columns[3] == ("minutes", "bigint")
    assert tables["dim_title"].keys == {"title_key"}
    assert tables["fct_views"].foreign_keys == {"title_key", "date_key"}


def test_star_schema_svg_is_valid_and_shows_every_column_and_link():
    svg = pictures.star_schema_svg(MANIFEST)
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    shown = texts(svg)
    assert "FK title_key" in shown and "PK date_key" in shown and "minutes" in shown
    assert "stg_x__things" not in svg
    assert len(list(root.iter(f"{SVG}path"))) == 2  # one line per relationships test
    assert int(root.get("width")) > 500 and int(root.get("height")) > 100


def test_an_empty_manifest_is_an_error_not_a_blank_picture():
    with pytest.raises(ValueError, match="no gold"):
        pictures.star_schema_svg({"nodes": {}})


def test_pipeline_health_svg_draws_one_bar_per_value_with_its_number():
    days = [
        pictures.DayRows(dt.date(2026, 9, 2), landed=900, rejected=5, quarantined=20),
        pictures.DayRows(dt.date(2026, 9, 1), landed=1200, rejected=0, quarantined=3),
    ]
    start = dt.datetime(2026, 9, 2, 6, 0, tzinfo=dt.UTC)
    builds = [
        pictures.BuildSeconds(start, "silver", 40.0),
        pictures.BuildSeconds(start, "gold", 25.5),
        pictures.BuildSeconds(start, "tests", 30.0),
    ]
    svg = pictures.pipeline_health_svg(days, builds)
    root = ET.fromstring(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    titles = ["".join(r.find(f"{SVG}title").itertext()) for r in bars]
    assert "2026-09-01 landed: 1200" in titles and "2026-09-02 quarantined: 20" in titles
    assert "2026-09-01 rejected: 0" not in titles  # a zero is no bar
    assert "09-02 06:00 gold: 25.5" in titles
    assert len(bars) == 2 + 3 + 3
    labels = texts(svg)
    assert labels.index("2026-09-01") < labels.index("2026-09-02")  # days in order


def test_pipeline_health_without_any_data_is_an_error():
    with pytest.raises(ValueError, match="run the pipeline"):
        pictures.pipeline_health_svg([], [])
