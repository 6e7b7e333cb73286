"""Parsing a movies/series file line by line into rows and rejects, with per-file counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from cinelake.errors import printable
from cinelake.ingest.sources.csv_files.settings import (
    BOM,
    CHUNK_LINES,
    EXPECTED_COLUMNS,
    LINEAGE_FIELDS,
    PROGRESS_EVERY_LINES,
    REJECT_SCHEMA,
    REJECTS_TABLE,
    SEPARATOR,
)

log = logging.getLogger(__name__)

HEADER_MAX_BYTES = 1 << 16  # a header is a few hundred bytes; a longer first line is none


class CsvFormatError(ValueError):
    """The file is not a movies/series file at all (empty, wrong header): nothing of it is
    loaded, and its table fails while the other file lands."""


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
    # Why nothing of the file was read (missing, empty, not a movies/series file): its table
    # fails with this, as one printable line.
    error: str = ""
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


def check_header(path: Path, table: str) -> None:
    """Raise CsvFormatError unless the file starts with the header of a `table` file."""
    with path.open("rb") as handle:  # a binary file's "first line" can be all of it: capped
        _header(handle.readline(HEADER_MAX_BYTES), table, path)


def _header(first_line: bytes, table: str, path: Path) -> list[str]:
    if not first_line:
        raise CsvFormatError(f"{path}: the file is empty, not even the header of a {table} file")
    # Undecodable bytes shown as \xNN (a binary file's), and what is left non-printable
    # escaped: the text is quoted in one error line.
    text = first_line.removeprefix(BOM).rstrip(b"\r\n").decode("utf-8", errors="backslashreplace")
    columns = text.split(SEPARATOR)
    if tuple(columns) != EXPECTED_COLUMNS[table]:
        raise CsvFormatError(
            f"{path}: the header is not that of a {table} file "
            f"(expected {SEPARATOR.join(EXPECTED_COLUMNS[table])!r}, "
            f"got '{printable(text[:120])}')"
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
