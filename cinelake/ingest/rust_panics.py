"""Rust panic text kept off the console during ingestion (shown with `-v`).

delta-rs (the Delta writer, in Rust) can panic in a worker thread after an I/O error it has
already returned to us, e.g. `thread 'tokio-rt-worker' panicked at ... Already shut down` when
the lake's disk is full. Rust's panic hook writes that straight to the process's stderr (file
descriptor 2), past Python's logging, and the error that matters reaches us anyway as a
Python exception, reported once per table. So while `filtered_stderr` is active, descriptor 2
is a pipe: a thread copies each line to the real stderr as it comes, except the lines of a
panic report. With -v (debug logging) nothing is filtered.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PANIC_START = re.compile(r"^thread '[^']*'(?: \(\d+\))? panicked at ")
# The frames of a backtrace, after its header `stack backtrace:`.
FRAME = re.compile(r"^\s+(?:\d+: |at )")
# Wherever they come (the reports of several threads interleave): Rust's note on
# RUST_BACKTRACE and the blank line it puts before a report.
PANIC_ANYWHERE = re.compile(r"^(?:note: .*RUST_BACKTRACE.*|\s*)$")


class PanicFilter:
    """Line by line: True for a line of a Rust panic report."""

    def __init__(self) -> None:
        self.state = "outside"  # or "message" (the line after `panicked at`), "frames"

    def is_panic(self, line: str) -> bool:
        if PANIC_START.match(line):
            self.state = "message"
        elif self.state == "message" or line == "stack backtrace:":
            self.state = "frames"
        elif not (PANIC_ANYWHERE.match(line) or (self.state == "frames" and FRAME.match(line))):
            self.state = "outside"
            return False
        return True


@contextmanager
def filtered_stderr(enabled: bool = True) -> Iterator[None]:
    """Descriptor 2 through PanicFilter for the duration of the block (a no-op when not
    `enabled`: with -v everything shows)."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    real = os.dup(2)
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    copier = threading.Thread(target=_copy, args=(read_end, real), daemon=True)
    copier.start()
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(real, 2)  # the pipe's last writer is gone: the copier reads to its end
        copier.join(timeout=5)
        os.close(real)


def _copy(read_end: int, real: int) -> None:
    panics = PanicFilter()
    with os.fdopen(read_end, "rb") as lines:
        for raw in lines:
            text = raw.decode(errors="replace")
            if not panics.is_panic(text.rstrip("\n")):
                os.write(real, raw)
