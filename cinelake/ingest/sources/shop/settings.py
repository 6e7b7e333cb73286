"""The shop source's cursor and chunk size."""

from __future__ import annotations

CURSOR_COLUMN = "updated_at"

CHUNK_ROWS = 50_000
