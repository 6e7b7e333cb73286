"""The reject-rate alarm: when a file's rejected share of lines says the file itself is bad.

A handful of rejected lines is the quarantine doing its job: they land in `csv/rejects` and
the run goes on. A file where most lines are rejected is another matter (a truncated upload,
the wrong file, binary garbage behind a valid header): the rows that did parse are not a
trustworthy version of the source, so the run must say so loudly, not end `ok`.
"""

from __future__ import annotations

from dataclasses import dataclass

SETTING = "CINELAKE_REJECT_RATE_MAX"


@dataclass(frozen=True)
class RejectRate:
    """Lines read from one file and how many of them were rejected."""

    lines_in: int
    rejected: int

    @property
    def share(self) -> float:
        """Rejected lines / lines read; 0 for a file with no line after the header."""
        return self.rejected / self.lines_in if self.lines_in else 0.0

    def trips(self, rate_max: float) -> bool:
        """Above `rate_max`, or every line rejected (that never is a usable file, whatever
        the setting: even rate_max = 1 must not let an all-garbage file pass as `ok`)."""
        if self.lines_in == 0:
            return False  # a header-only file is empty, not bad
        return self.rejected == self.lines_in or self.share > rate_max

    def describe(self, rate_max: float) -> str:
        """One line for the run report and the alert."""
        why = (
            "every line rejected"
            if self.rejected == self.lines_in
            else f"above {SETTING}={rate_max:g}"
        )
        return f"{self.rejected:,} of {self.lines_in:,} lines rejected ({self.share:.0%}, {why})"
