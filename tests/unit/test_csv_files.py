"""The two CSV files are independent (no services: a local lake): a movies.csv that cannot be
read at all fails the movies table with its reason, on one printable line, and series.csv
still lands; once the file is fixed, movies lands and series is not landed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from deltalake import DeltaTable

from cinelake import cli
from cinelake.ingest.sources.csv_files import MOVIE_COLUMNS, SEPARATOR, SERIES_COLUMNS

NOT_MOVIES = "the header is not that of a movies file"
BAD_MOVIES = {
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x1b[2J\x7f" + bytes(range(256)) * 40, NOT_MOVIES),
    "empty": (b"", "the file is empty"),
    "wrong header": (SEPARATOR.join(SERIES_COLUMNS).encode() + b"\n1|x\n", NOT_MOVIES),
    "missing": (None, "not found: run `cinelake demo-data` or set CINELAKE_CSV_MOVIES"),
}


def csv_text(columns: tuple[str, ...], rows: int) -> str:
    lines = [SEPARATOR.join(columns)]
    lines += [SEPARATOR.join(f"{c}{n}" for c in columns) for n in range(rows)]
    return "\n".join(lines) + "\n"


def rows(home: Path, table: str) -> int:
    return DeltaTable(str(home / "lake" / "bronze" / "csv" / table)).to_pyarrow_table().num_rows


@pytest.mark.parametrize("kind", sorted(BAD_MOVIES))
def test_a_bad_movies_file_fails_movies_alone(kind, tmp_path, monkeypatch, capsys):
    content, reason = BAD_MOVIES[kind]
    movies, series = tmp_path / "in" / "movies.csv", tmp_path / "in" / "series.csv"
    movies.parent.mkdir()
    if content is not None:
        movies.write_bytes(content)
    series.write_text(csv_text(SERIES_COLUMNS, 3))
    home = tmp_path / "home"
    settings = {"CINELAKE_HOME": home, "CINELAKE_CSV_MOVIES": movies,
                "CINELAKE_CSV_SERIES": series, "CINELAKE_LOAD_DATE": "2026-03-01"}  # fmt: skip
    for name, value in settings.items():
        monkeypatch.setenv(name, str(value))

    assert cli.main(["ingest", "csv"]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("cinelake: error: csv: ") and err.count("\n") == 1
    assert reason in err and err.rstrip("\n").isprintable() and "Traceback" not in err
    movies_row = next(line for line in out.splitlines() if line.startswith("csv    movies"))
    assert "failed" in movies_row and movies_row.isprintable()
    assert rows(home, "series") == 3  # landed despite movies
    assert not (home / "lake" / "bronze" / "csv" / "movies").exists()

    movies.write_text(csv_text(MOVIE_COLUMNS, 2))  # fixed: movies lands, series is skipped
    assert cli.main(["ingest", "csv"]) == 0
    capsys.readouterr()
    assert (rows(home, "movies"), rows(home, "series")) == (2, 3)
