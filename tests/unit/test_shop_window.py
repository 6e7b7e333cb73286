"""The shop's lag window: which extracted rows sit at or before the previous cursor."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from cinelake.ingest.sources.shop.helpers import _count_in_window, previous_cursors

CURSOR = dt.datetime(2026, 2, 28, 23, 59, 59)


def _batch(*moments: dt.datetime) -> pa.Table:
    return pa.table({"updated_at": pa.array(moments, pa.timestamp("us"))})


def test_rows_at_or_before_the_cursor_are_counted_as_window():
    batch = _batch(
        CURSOR - dt.timedelta(minutes=10),  # late row or re-read: in the window
        CURSOR,  # the boundary itself is read again
        CURSOR + dt.timedelta(seconds=1),  # past the cursor: new
    )
    assert _count_in_window(batch, CURSOR) == 2


def test_a_first_run_has_no_window():
    assert _count_in_window(_batch(CURSOR), None) == 0
    assert _count_in_window(_batch(), CURSOR) == 0


def test_cursors_are_read_from_the_pipeline_state():
    state = {"sources": {"shop": {"resources": {
        "payments": {"incremental": {"updated_at": {"last_value": CURSOR}}},
    }}}}  # fmt: skip
    assert previous_cursors(state, ("payments", "plans")) == {"payments": CURSOR, "plans": None}
    assert previous_cursors({}, ("plans",)) == {"plans": None}
