"""dlt source for movies.csv / series.csv: every input line lands in bronze or in `rejects`.

The files are `|`-separated without quoting (a `"` is data), UTF-8 (a BOM is allowed), `\\N`
for null, LF or CRLF. Each line after the header is either
- a row of the file's table (`movies`, `series`): all values as strings, exactly as they came
  (casting belongs to silver), plus `_source_file`, `_source_line`, `_source_sha256` and
  `_loaded_at`; or
- a row of `rejects`: file, line number, raw text, reason (`blank_line`, `invalid_utf8`,
  `too_few_fields`, `too_many_fields`) and a detail.
so lines in (after the header) = table rows + rejects, per file.

Idempotency: a file is identified by the SHA-256 of its content, kept in the source's dlt
state (which dlt commits with the load) with its line counts (lines in, rejected). Content
already loaded is skipped, so re-running never duplicates rows; a changed file is loaded again
as a new version. The kept counts let a skipped file still be judged by the reject-rate alarm
(see cinelake/ingest/reject_rate.py): a bad file keeps failing the run until it is replaced. Lines
are parsed in chunks of CHUNK_LINES and yielded as Arrow tables: memory stays flat for any
file size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dlt
import pyarrow as pa

log = logging.getLogger(__name__)

SEPARATOR = "|"
BOM = b"\xef\xbb\xbf"
CHUNK_LINES = 50_000
PROGRESS_EVERY_LINES = 500_000
REJECTS_TABLE = "rejects"
MOVIE_COLUMNS = (
    "id", "tituloPincipal", "tituloOriginal", "anoLancamento", "tempoMinutos", "genero",
    "notaMedia", "numeroVotos", "generoArtista", "personagem", "nomeArtista", "anoNascimento",
    "anoFalecimento", "profissao", "titulosMaisConhecidos",
)  # fmt: skip
SERIES_COLUMNS = MOVIE_COLUMNS[:4] + ("anoTermino",) + MOVIE_COLUMNS[4:]
EXPECTED_COLUMNS = {"movies": MOVIE_COLUMNS, "series": SERIES_COLUMNS}
LINEAGE_FIELDS = [
    pa.field("_source_file", pa.string()),
    pa.field("_source_line", pa.int64()),
    pa.field("_source_sha256", pa.string()),
    pa.field("_loaded_at", pa.timestamp("us", tz="UTC")),
]
REJECT_SCHEMA = pa.schema(
    [
        pa.field("source_file", pa.string()),
        # the table the file feeds (movies, series): its name, whatever the file is called
        pa.field("source_table", pa.string()),
        pa.field("line_number", pa.int64()),
        pa.field("raw_line", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("detail", pa.string()),
        pa.field("_source_sha256", pa.string()),
        pa.field("_loaded_at", pa.timestamp("us", tz="UTC")),
    ]
)


class CsvFormatError(ValueError):
    """The file is not a movies/series file at all (wrong header): nothing is loaded."""


@dataclass
class FileCounts:
    """What happened to one file's lines (for the run metrics)."""

    path: str
    sha256: str
    bytes: int
    lines_in: int = 0
    landed: int = 0
    rejected: int = 0
    skipped: bool = False
    reasons: dict[str, int] = field(default_factory=dict)
    # For skipped content: when it was loaded and, if known, its counts then.
    loaded_before: LoadedContent | None = None


@dataclass(frozen=True)
class LoadedContent:
    """What the state remembers of content already loaded."""

    loaded_at: str
    lines_in: int | None = None  # None: loaded before the counts were kept
    rejected: int | None = None

    @classmethod
    def from_state(cls, record: str | dict) -> LoadedContent:
        if isinstance(record, str):  # the first state format: only the load time
            return cls(loaded_at=record)
        return cls(record["loaded_at"], record.get("lines_in"), record.get("rejected"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _header(first_line: bytes, table: str, path: Path) -> list[str]:
    text = first_line.removeprefix(BOM).rstrip(b"\r\n").decode("utf-8", errors="replace")
    columns = text.split(SEPARATOR)
    if tuple(columns) != EXPECTED_COLUMNS[table]:
        raise CsvFormatError(
            f"{path}: the header is not that of a {table} file "
            f"(expected {SEPARATOR.join(EXPECTED_COLUMNS[table])!r}, got {text[:200]!r})"
        )
    return columns


class _Chunk:
    """Accumulates parsed lines column-wise and turns them into Arrow tables."""

    def __init__(self, columns: list[str], meta: dict):
        self.columns = columns
        self.meta = meta
        self.values: list[list[str | None]] = [[] for _ in columns]
        self.lines: list[int] = []
        self.rejects: list[tuple[int, str, str, str]] = []

    def add_row(self, line_number: int, fields: list[str]) -> None:
        for column_values, value in zip(self.values, fields, strict=True):
            column_values.append(value)
        self.lines.append(line_number)

    def rows_table(self) -> pa.Table:
        n = len(self.lines)
        arrays = [pa.array(v, pa.string()) for v in self.values] + [
            pa.array([self.meta["file"]] * n, pa.string()),
            pa.array(self.lines, pa.int64()),
            pa.array([self.meta["sha256"]] * n, pa.string()),
            pa.array([self.meta["loaded_at"]] * n, pa.timestamp("us", tz="UTC")),
        ]
        schema = pa.schema([pa.field(c, pa.string()) for c in self.columns] + LINEAGE_FIELDS)
        return pa.Table.from_arrays(arrays, schema=schema)

    def rejects_table(self) -> pa.Table:
        n = len(self.rejects)
        return pa.Table.from_arrays(
            [
                pa.array([self.meta["file"]] * n, pa.string()),
                pa.array([self.meta["table"]] * n, pa.string()),
                pa.array([r[0] for r in self.rejects], pa.int64()),
                pa.array([r[1] for r in self.rejects], pa.string()),
                pa.array([r[2] for r in self.rejects], pa.string()),
                pa.array([r[3] for r in self.rejects], pa.string()),
                pa.array([self.meta["sha256"]] * n, pa.string()),
                pa.array([self.meta["loaded_at"]] * n, pa.timestamp("us", tz="UTC")),
            ],
            schema=REJECT_SCHEMA,
        )


def parse_file(
    path: Path, table: str, sha256: str, loaded_at: dt.datetime, counts: FileCounts
) -> Iterator[tuple[str, pa.Table]]:
    """Yield (table name, Arrow table) chunks: rows of `table` and of `rejects`."""
    with path.open("rb") as handle:
        columns = _header(handle.readline(), table, path)
        width = len(columns)
        meta = {"file": path.name, "table": table, "sha256": sha256, "loaded_at": loaded_at}
        chunk = _Chunk(columns, meta)
        for line_number, raw in enumerate(handle, start=2):
            line = raw.rstrip(b"\n").removesuffix(b"\r")
            counts.lines_in += 1
            reject = None
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                text = line.decode("utf-8", errors="backslashreplace")
                reject = ("invalid_utf8", f"byte {exc.start}: {exc.reason}")
            if reject is None:
                if not text.strip():
                    reject = ("blank_line", "empty line")
                else:
                    fields = text.split(SEPARATOR)
                    if len(fields) != width:
                        kind = "too_few_fields" if len(fields) < width else "too_many_fields"
                        reject = (kind, f"expected {width} fields, got {len(fields)}")
            if reject:
                chunk.rejects.append((line_number, text, *reject))
                counts.reasons[reject[0]] = counts.reasons.get(reject[0], 0) + 1
            else:
                chunk.add_row(line_number, fields)
            if counts.lines_in % CHUNK_LINES == 0:
                yield from _flush(chunk, table, counts)
                chunk = _Chunk(columns, meta)
            if counts.lines_in % PROGRESS_EVERY_LINES == 0:
                log.info("%s: %d lines read", path.name, counts.lines_in)
        yield from _flush(chunk, table, counts)


def _flush(chunk: _Chunk, table: str, counts: FileCounts) -> Iterator[tuple[str, pa.Table]]:
    if chunk.lines:
        counts.landed += len(chunk.lines)
        yield table, chunk.rows_table()
    if chunk.rejects:
        counts.rejected += len(chunk.rejects)
        yield REJECTS_TABLE, chunk.rejects_table()


@dlt.source(name="csv")
def csv_files(
    movies_path: str = dlt.config.value,
    series_path: str = dlt.config.value,
    loaded_at: dt.datetime | None = None,
    counts: dict[str, FileCounts] | None = None,
):
    """movies.csv and series.csv; `counts` (optional) receives per-file line accounting."""
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
    counts = {} if counts is None else counts

    def make(table: str, path_text: str):
        @dlt.resource(name=table, write_disposition="append")
        def lines() -> Iterator[pa.Table]:
            path = Path(path_text)
            if not path.is_file():
                raise FileNotFoundError(f"{table} file not found: {path}")
            sha256 = file_sha256(path)
            file_counts = counts[table] = FileCounts(str(path), sha256, path.stat().st_size)
            loaded = dlt.current.source_state().setdefault("loaded_sha256", {})
            if sha256 in loaded:
                file_counts.skipped = True
                file_counts.loaded_before = LoadedContent.from_state(loaded[sha256])
                log.info("%s: this content was loaded already (at %s); skipped",
                         path.name, file_counts.loaded_before.loaded_at)  # fmt: skip
                return
            for name, arrow in parse_file(path, table, sha256, loaded_at, file_counts):
                yield dlt.mark.with_table_name(arrow, name)
            # Committed with the load, by dlt. The counts are kept so that a re-run of a file
            # that tripped the reject-rate alarm is skipped (no doubles) yet still alarms.
            loaded[sha256] = {
                "loaded_at": loaded_at.isoformat(),
                "lines_in": file_counts.lines_in,
                "rejected": file_counts.rejected,
            }

        return lines

    return [make("movies", movies_path), make("series", series_path)]
