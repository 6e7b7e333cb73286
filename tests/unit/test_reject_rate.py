"""The reject-rate alarm: when a CSV file's rejected share fails its source."""

from __future__ import annotations

import pytest

from cinelake.ingest.reject_rate import RejectRate, judge
from cinelake.ingest.report import TableMetrics
from cinelake.ingest.sources.csv_files import FileCounts, LoadedContent


@pytest.mark.parametrize(
    ("lines_in", "rejected", "rate_max", "trips"),
    [
        (100, 20, 0.2, False),  # at the threshold: not above it
        (100, 21, 0.2, True),
        (100, 0, 0.0, False),  # 0 tolerates no reject, and there is none
        (100, 1, 0.0, True),
        (100, 99, 1.0, False),  # 1 tolerates anything but an all-rejected file...
        (440, 440, 1.0, True),  # ...which always trips, whatever the setting
        (1, 1, 0.9, True),
        (0, 0, 0.0, False),  # a header-only file is empty, not bad
    ],
)
def test_threshold(lines_in, rejected, rate_max, trips):
    assert RejectRate(lines_in, rejected).trips(rate_max) is trips


def test_description_names_the_counts_and_the_reason():
    assert (
        RejectRate(440, 440).describe(0.2)
        == "440 of 440 lines rejected (100%, every line rejected)"
    )
    text = RejectRate(1_000, 300).describe(0.2)
    assert "300 of 1,000" in text and "30%" in text and "CINELAKE_REJECT_RATE_MAX=0.2" in text


def _counts(lines_in: int, rejected: int, **kwargs) -> FileCounts:
    return FileCounts("/data/movies.csv", "ab" * 32, 1, lines_in, lines_in - rejected, rejected,
                      **kwargs)  # fmt: skip


def test_a_tripped_file_fails_its_metric_and_says_its_rows_stay():
    metric = TableMetrics("csv", "movies", 440, 0, 440)
    judge(metric, _counts(440, 440), 0.2)
    assert metric.status == "failed"
    assert metric.detail.startswith("movies.csv: 440 of 440 lines rejected")
    assert "0 parsed rows and 440 rejects in bronze" in metric.detail
    assert "abababababab" in metric.detail


def test_a_file_under_the_threshold_keeps_its_status():
    metric = TableMetrics("csv", "movies", 100, 90, 10, detail="too_few_fields=10")
    judge(metric, _counts(100, 10), 0.2)
    assert (metric.status, metric.detail) == ("ok", "too_few_fields=10")


def test_skipped_content_is_judged_by_its_kept_counts():
    """The same bad content is not loaded twice, but keeps failing until replaced."""
    before = LoadedContent.from_state({"loaded_at": "2026-03-01T00:00:00", "lines_in": 440,
                                       "rejected": 440})  # fmt: skip
    metric = TableMetrics("csv", "movies", status="skipped")
    judge(metric, _counts(0, 0, skipped=True, loaded_before=before), 0.2)
    assert metric.status == "failed" and "landed at 2026-03-01T00:00:00" in metric.detail
    # a deliberate acceptance: a threshold above the kept share lets a partly bad file pass
    before = LoadedContent("2026-03-01T00:00:00", 100, 30)
    metric = TableMetrics("csv", "movies", status="skipped")
    judge(metric, _counts(0, 0, skipped=True, loaded_before=before), 0.5)
    assert metric.status == "skipped"


def test_content_loaded_before_counts_were_kept_is_not_judged():
    before = LoadedContent.from_state("2026-02-01T00:00:00+00:00")  # the first state format
    assert (before.lines_in, before.rejected) == (None, None)
    metric = TableMetrics("csv", "movies", status="skipped")
    judge(metric, _counts(0, 0, skipped=True, loaded_before=before), 0.0)
    assert metric.status == "skipped"
