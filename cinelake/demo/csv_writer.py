"""movies.csv and series.csv in the format of seed 002, with counted, realistic dirt.

Format: `|`-separated, one header row, UTF-8, `\\N` for null, one row per (title, artist).
`movies.csv` starts with a UTF-8 byte-order mark; `series.csv` has CRLF line endings.

Every data line the writer emits is classified as exactly one of: `valid` or one defect kind
(DEFECTS below), and blank lines are counted apart, so that for each file

    data lines = valid + sum(defects)          physical lines = 1 (header) + data + blank

holds and is recorded in the manifest. `expect` says what a correct pipeline does with it:
`reject` at ingestion (the line cannot be parsed into the columns), `quarantine` in silver (it
parses but breaks a rule), `collapse` (a duplicate that must count once), `clean` (fixed by
trimming/normalizing, then valid).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cinelake.demo.catalog import Credit, Title
from cinelake.ingest.sources.csv_files import MOVIE_COLUMNS, SEPARATOR, SERIES_COLUMNS

NULL = r"\N"
# The columns are the reader's (cinelake/ingest/sources/csv_files/): one definition of the format.


@dataclass(frozen=True)
class Defect:
    rate: float  # per credit row
    expect: str  # reject | quarantine | collapse | clean
    description: str


DEFECTS: dict[str, Defect] = {
    "exact_duplicate_row": Defect(0.010, "collapse", "a data line repeated verbatim"),
    "too_few_fields": Defect(0.002, "reject", "the last two fields are missing"),
    "too_many_fields": Defect(0.002, "reject", "an unescaped | inside the title adds a field"),
    "invalid_utf8": Defect(0.001, "reject", "the title is encoded in Latin-1, not UTF-8"),
    "malformed_id": Defect(0.001, "quarantine", r"id is \N or not tt + digits"),
    "unparsable_number": Defect(0.004, "quarantine", "notaMedia `7,5`/`N/A` or votes `N/A`"),
    "year_out_of_range": Defect(0.002, "quarantine", "anoLancamento before 1870 or after 2100"),
    "rating_out_of_range": Defect(0.001, "quarantine", "notaMedia above 10 or negative"),
    "stray_quote": Defect(0.001, "clean", 'an unbalanced " in the title (no CSV quoting)'),
    "trailing_spaces": Defect(0.010, "clean", "spaces after the title and the artist name"),
}
BLANK_LINE_RATE = 0.002


@dataclass(frozen=True)
class FileLayout:
    name: str
    kind: str
    columns: tuple[str, ...]
    bom: bool
    newline: str


MOVIES = FileLayout("movies.csv", "movie", MOVIE_COLUMNS, bom=True, newline="\n")
SERIES = FileLayout("series.csv", "series", SERIES_COLUMNS, bom=False, newline="\r\n")


def _value(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, list):
        return ",".join(value) if value else NULL
    return str(value)


def credit_fields(title: Title, credit: Credit, layout: FileLayout) -> list[str]:
    fields = [
        title.imdb_id,
        title.primary_title,
        title.original_title,
        title.start_year,
        title.runtime_minutes,
        title.genres,
        f"{title.average_rating:.1f}",
        title.num_votes,
        credit.artist_gender,
        credit.character,
        credit.artist_name,
        credit.birth_year,
        credit.death_year,
        credit.profession,
        credit.known_for,
    ]
    if layout.kind == "series":
        fields.insert(4, title.end_year)
    return [_value(v) for v in fields]


def _corrupt(
    kind: str, fields: list[str], layout: FileLayout, rng: random.Random
) -> bytes | list[str]:
    """Apply one defect to a valid row; returns the fields, or raw bytes for encoding defects."""
    col = layout.columns.index
    out = list(fields)
    if kind == "too_few_fields":
        return out[:-2]
    if kind == "too_many_fields":
        out[1] = out[1] + SEPARATOR + "Director's Cut"
    elif kind == "malformed_id":
        out[0] = rng.choice((NULL, "tt12ab", "123456", "tt"))
    elif kind == "unparsable_number":
        if rng.random() < 0.6:
            out[col("notaMedia")] = rng.choice(("7,5", "N/A", "six"))
        else:
            out[col("numeroVotos")] = rng.choice(("N/A", "1.2k", "--"))
    elif kind == "year_out_of_range":
        out[col("anoLancamento")] = str(rng.choice((0, 1066, 1700, 2999, 9999)))
    elif kind == "rating_out_of_range":
        out[col("notaMedia")] = rng.choice(("12.5", "-1.0", "10.1"))
    elif kind == "stray_quote":
        out[1] = '"' + out[1]
    elif kind == "trailing_spaces":
        out[1] = out[1] + "   "
        if out[col("nomeArtista")] != NULL:
            out[col("nomeArtista")] = out[col("nomeArtista")] + "  "
    elif kind == "invalid_utf8":
        out[1] = out[1] + " Çàô"
        return SEPARATOR.join(out).encode("latin-1", errors="replace")
    return out


def _null_columns(line: bytes, layout: FileLayout) -> list[str]:
    """Columns holding \\N in a well-formed line (decodable, right field count); else none."""
    try:
        fields = line.decode("utf-8").split(SEPARATOR)
    except UnicodeDecodeError:
        return []
    if len(fields) != len(layout.columns):
        return []
    return [c for c, v in zip(layout.columns, fields, strict=True) if v == NULL]


def write_csv(path: Path, titles: Iterable[Title], layout: FileLayout, seed: int) -> dict:
    """Stream the titles to `path` with injected defects; return the file's manifest entry."""
    rng = random.Random(f"cinelake:{seed}:defects:{layout.name}")
    kinds = list(DEFECTS)
    weights = [DEFECTS[k].rate for k in kinds]
    any_defect = sum(weights)
    # Each kind is forced once within the first titles, so that every kind appears at any scale.
    forced = {index: kind for index, kind in enumerate(kinds)}
    newline = layout.newline.encode()
    lines: Counter[str] = Counter()
    nulls: Counter[str] = Counter()
    titles_seen = credit_rows = non_ascii_credit_rows = blank_lines = horror_titles = 0
    digest = hashlib.sha256()

    with path.open("wb") as out:

        def emit(line: bytes) -> None:
            out.write(line + newline)
            digest.update(line + newline)

        header = SEPARATOR.join(layout.columns).encode()
        emit(("\ufeff".encode() if layout.bom else b"") + header)
        for index, title in enumerate(titles):
            titles_seen += 1
            horror_titles += title.is_horror
            for credit_index, credit in enumerate(title.credits):
                credit_rows += 1
                fields = credit_fields(title, credit, layout)
                kind = forced.get(index) if credit_index == 0 else None
                if kind is None and rng.random() < any_defect:
                    kind = rng.choices(kinds, weights=weights)[0]
                if kind in (None, "exact_duplicate_row"):
                    row = fields
                else:
                    row = _corrupt(kind, fields, layout, rng)
                line = row if isinstance(row, bytes) else SEPARATOR.join(row).encode("utf-8")
                line_nulls = _null_columns(line, layout)
                nulls.update(line_nulls)
                non_ascii_credit_rows += not title.primary_title.isascii()
                emit(line)
                if kind == "exact_duplicate_row":
                    lines["valid"] += 1  # the original; the copy below is the defect
                    emit(line)
                    nulls.update(line_nulls)
                lines[kind or "valid"] += 1
                if rng.random() < BLANK_LINE_RATE:
                    emit(b"")
                    blank_lines += 1

    data_lines = sum(lines.values())
    return {
        "path": str(path),
        "kind": layout.kind,
        "columns": list(layout.columns),
        "encoding": "utf-8-sig" if layout.bom else "utf-8",
        "line_ending": "CRLF" if layout.newline == "\r\n" else "LF",
        "header_lines": 1,
        "physical_lines": 1 + data_lines + blank_lines,
        "data_lines": data_lines,
        "blank_lines": blank_lines,
        "valid_lines": lines["valid"],
        "defects": {kind: lines[kind] for kind in kinds},
        "titles": titles_seen,
        "horror_titles": horror_titles,
        "credit_rows": credit_rows,
        "non_ascii_title_credit_rows": non_ascii_credit_rows,
        "null_counts": {c: nulls[c] for c in layout.columns},
        "sha256": digest.hexdigest(),
    }
