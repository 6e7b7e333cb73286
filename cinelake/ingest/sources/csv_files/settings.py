"""The CSV format: separator, BOM, the movies/series columns, the lineage and rejects schemas."""

from __future__ import annotations

import pyarrow as pa

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
