"""The generic database source's rules: cursor names, chunk size, Spark's decimal limit."""

from __future__ import annotations

# A table's cursor, when not configured, is the first column (in this order of names) that is a
# DATETIME, TIMESTAMP or DATE; else a TIMESTAMP ... ON UPDATE CURRENT_TIMESTAMP column; else
# the table has none and is snapshotted whole on every load day.
CURSOR_NAMES = (
    "updated_at",
    "last_update",
    "last_updated",
    "modified_at",
    "last_modified",
    "modified",
    "updated",
    "changed_at",
    "update_time",
)
TEMPORAL_TYPES = ("datetime", "timestamp", "date")

CHUNK_ROWS = 50_000

# Spark's DecimalType holds at most 38 digits; MySQL's DECIMAL up to 65.
SPARK_MAX_PRECISION = 38
