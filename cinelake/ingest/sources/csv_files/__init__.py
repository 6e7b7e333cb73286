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
as a new version. The two files are independent: one that cannot be read at all (missing,
empty, not a movies/series file) loads nothing and says why in its counts (`error`), and the
other still lands. The kept counts let a skipped file still be judged by the reject-rate alarm
(see cinelake/ingest/reject_rate.py): a bad file keeps failing the run until it is replaced. Lines
are parsed in chunks of CHUNK_LINES and yielded as Arrow tables: memory stays flat for any
file size.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import dlt
import pyarrow as pa

from cinelake.ingest.sources.csv_files.helpers import (
    CsvFormatError,
    FileCounts,
    LoadedContent,
    check_header,
    file_sha256,
    parse_file,
)
from cinelake.ingest.sources.csv_files.settings import (
    MOVIE_COLUMNS,
    REJECTS_TABLE,
    SEPARATOR,
    SERIES_COLUMNS,
)

__all__ = [
    "CsvFormatError",
    "FileCounts",
    "LoadedContent",
    "file_sha256",
    "parse_file",
    "REJECTS_TABLE",
    "MOVIE_COLUMNS",
    "SERIES_COLUMNS",
    "SEPARATOR",
    "csv_files",
]


log = logging.getLogger(__name__)


@dlt.source(name="csv")
def csv_files(
    movies_path: str,
    series_path: str,
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
                counts[table] = FileCounts(str(path), "", 0, error=f"{path} not found")
                return
            try:
                check_header(path, table)
            except CsvFormatError as exc:
                counts[table] = FileCounts(str(path), "", 0, error=str(exc))
                return
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
