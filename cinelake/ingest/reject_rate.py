"""The reject-rate alarm: when a file's rejected share of lines says the file itself is bad.

A handful of rejected lines is the quarantine doing its job: they land in `csv/rejects` and
the run goes on. A file where most lines are rejected is another matter (a truncated upload,
the wrong file, binary garbage behind a valid header): the rows that did parse are not a
trustworthy version of the source, so the run must say so loudly, not end `ok`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `cinelake quality` reads RejectRate alone, without dlt's sources
    from cinelake.ingest.report import TableMetrics
    from cinelake.ingest.sources.csv_files import FileCounts

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


def judge(metric: TableMetrics, file_counts: FileCounts, rate_max: float) -> None:
    """Fail the file's metric when its rejected share trips the alarm.

    The rows and rejects of a tripped file stay in bronze (the rejects are the evidence, and
    the rows are marked by their `_source_sha256`), and its checksum stays recorded, so the
    same content is never landed twice. The alarm is not lost with it: a re-run judges the
    skipped content by the counts the state kept, and fails again until the file is replaced
    (or CINELAKE_REJECT_RATE_MAX is raised above its share, a deliberate acceptance).
    """
    name = Path(file_counts.path).name
    if file_counts.skipped:
        before = file_counts.loaded_before
        if before is None or before.lines_in is None or before.rejected is None:
            return  # loaded before counts were kept: it passed the rules of its day
        rate = RejectRate(before.lines_in, before.rejected)
        where = f"was landed at {before.loaded_at} and is not landed again"
    else:
        rate = RejectRate(file_counts.lines_in, file_counts.rejected)
        where = (
            f"landed its {file_counts.landed:,} parsed rows and {file_counts.rejected:,} "
            "rejects in bronze and is not landed again"
        )
    if not rate.trips(rate_max):
        return
    metric.status = "failed"
    metric.detail = (
        f"{name}: {rate.describe(rate_max)}; content {file_counts.sha256[:12]} {where}; "
        "replace the file (csv/rejects holds the lines and reasons)"
    )
