"""delta-rs's panic reports stay off the console; every other line of stderr passes, in order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cinelake.ingest.rust_panics import PanicFilter

ROOT = Path(__file__).resolve().parents[2]
# As delta-rs printed it when the lake's disk filled (RUST_BACKTRACE=1).
PANIC = (
    (
        "thread 'tokio-rt-worker' (25136) panicked at /home/runner/.cargo/registry/src/index.crates"
        ".io-1949cf8c6b5b557f/object_store-0.13.2/src/buffered.rs:369:41:\n"
    )
    + """\
Already shut down
stack backtrace:
   0: rust_begin_unwind
             at /rustc/abc/library/std/src/panicking.rs:652:5
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
"""
)


def test_the_lines_of_a_panic_report_are_recognised_and_nothing_else():
    panics = PanicFilter()
    lines = ["INFO before", "", *PANIC.splitlines(), "", *PANIC.splitlines()[:2], "INFO after",
             *PANIC.splitlines()[2:], "cinelake: error: shop: payments: no space"]  # fmt: skip
    kept = [line for line in lines if not panics.is_panic(line)]
    assert kept == ["INFO before", "INFO after", "cinelake: error: shop: payments: no space"]
    # a line that merely mentions a panic is not one
    assert not PanicFilter().is_panic("the worker panicked at noon")


def test_a_native_write_to_descriptor_2_is_filtered_and_the_rest_passes():
    script = (
        "import os, sys; from cinelake.ingest.rust_panics import filtered_stderr\n"
        "with filtered_stderr():\n"
        "    print('python line', file=sys.stderr, flush=True)\n"
        f"    os.write(2, {PANIC.encode()!r})\n"
        "    os.write(2, b'native line\\n')\n"
        "print('after', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert result.stderr == "python line\nnative line\nafter\n"
