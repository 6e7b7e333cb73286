"""The CSV generator: deterministic, and its manifest matches what an independent reader finds."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from cinelake.demo import csv_writer
from cinelake.demo.catalog import generate_titles

ID = re.compile(r"^tt\d{7}$")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Both files for 300 titles each (enough for every defect kind), seed 11."""
    out = tmp_path_factory.mktemp("csv")
    result = {}
    for layout in (csv_writer.MOVIES, csv_writer.SERIES):
        path = out / layout.name
        entry = csv_writer.write_csv(path, generate_titles(11, layout.kind, 300), layout, seed=11)
        result[layout.name] = (layout, path, entry)
    return result


def read_lines(path, layout) -> list[bytes]:
    raw = path.read_bytes()
    if layout.bom:
        assert raw.startswith(b"\xef\xbb\xbf")
        raw = raw[3:]
    newline = layout.newline.encode()
    assert raw.endswith(newline)
    return raw[: -len(newline)].split(newline)


def classify(lines: list[bytes], layout) -> tuple[Counter, Counter]:
    """Recount every defect kind from the file alone, the way a careful reader would."""
    kinds: Counter[str] = Counter()
    nulls: Counter[str] = Counter()
    width = len(layout.columns)
    previous = None
    for line in lines[1:]:
        if line == b"":
            kinds["blank"] += 1
            continue
        try:
            fields = line.decode("utf-8").split("|")
        except UnicodeDecodeError:
            fields = None
        if fields is not None and len(fields) == width:  # nulls: every well-formed line
            nulls.update(c for c, v in zip(layout.columns, fields, strict=True) if v == r"\N")
        duplicate, previous = line == previous, line
        if duplicate:
            kinds["exact_duplicate_row"] += 1
        elif fields is None:
            kinds["invalid_utf8"] += 1
        elif len(fields) != width:
            kinds["too_few_fields" if len(fields) < width else "too_many_fields"] += 1
        else:
            kinds[_value_kind(fields, layout)] += 1
    return kinds, nulls


def _value_kind(fields: list[str], layout) -> str:
    col = layout.columns.index
    rating, votes, year = (
        fields[col("notaMedia")],
        fields[col("numeroVotos")],
        fields[col("anoLancamento")],
    )
    if not ID.match(fields[0]):
        return "malformed_id"
    if not re.fullmatch(r"-?\d+\.\d", rating) or not votes.isdigit():
        return "unparsable_number"
    if not 1870 <= int(year) <= 2100:
        return "year_out_of_range"
    if not 0 <= float(rating) <= 10:
        return "rating_out_of_range"
    if fields[1].startswith('"'):
        return "stray_quote"
    if fields[1] != fields[1].rstrip():
        return "trailing_spaces"
    return "valid"


@pytest.mark.parametrize("name", ["movies.csv", "series.csv"])
def test_manifest_matches_an_independent_recount(written, name):
    layout, path, entry = written[name]
    lines = read_lines(path, layout)
    kinds, nulls = classify(lines, layout)
    assert lines[0].decode() == "|".join(layout.columns)
    assert len(lines) == entry["physical_lines"]
    assert kinds.pop("blank") == entry["blank_lines"]
    assert kinds.pop("valid") == entry["valid_lines"]
    assert dict(kinds) == {k: v for k, v in entry["defects"].items() if v}
    # duplicates count once in null_counts' "well-formed line" base as well
    assert {c: n for c, n in nulls.items()} == {c: n for c, n in entry["null_counts"].items() if n}
    assert entry["data_lines"] == entry["valid_lines"] + sum(entry["defects"].values())


@pytest.mark.parametrize("name", ["movies.csv", "series.csv"])
def test_every_defect_kind_and_every_nullable_null_appear(written, name):
    _layout, _path, entry = written[name]
    assert all(count > 0 for count in entry["defects"].values()), entry["defects"]
    assert entry["blank_lines"] > 0
    nullable = {
        "tempoMinutos",
        "genero",
        "generoArtista",
        "personagem",
        "nomeArtista",
        "anoNascimento",
        "anoFalecimento",
        "profissao",
        "titulosMaisConhecidos",
    }
    if name == "series.csv":
        nullable.add("anoTermino")
    assert all(entry["null_counts"][c] > 0 for c in nullable)


def test_file_formats_differ_as_documented(written):
    movies, series = written["movies.csv"][2], written["series.csv"][2]
    assert (movies["encoding"], movies["line_ending"]) == ("utf-8-sig", "LF")
    assert (series["encoding"], series["line_ending"]) == ("utf-8", "CRLF")
    assert written["series.csv"][0].columns[4] == "anoTermino"


def test_the_real_grain_is_title_by_artist(written):
    """Titles repeat across lines with different artists, and horror has a real share."""
    layout, path, entry = written["movies.csv"]
    ids = Counter(line.split(b"|")[0] for line in read_lines(path, layout)[1:] if line)
    assert entry["credit_rows"] > entry["titles"]
    assert sum(1 for n in ids.values() if n > 1) > entry["titles"] / 2
    assert 0.05 < entry["horror_titles"] / entry["titles"] < 0.25
    assert entry["non_ascii_title_credit_rows"] > 0


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    def digest(seed: int, name: str) -> str:
        return csv_writer.write_csv(
            tmp_path / name, generate_titles(seed, "movie", 50), csv_writer.MOVIES, seed
        )["sha256"]

    assert digest(5, "a.csv") == digest(5, "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert digest(6, "c.csv") != digest(5, "a.csv")
