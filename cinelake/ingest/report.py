"""The report of an ingestion run: per source and table, rows in, landed, rejected, bytes,
seconds and status. `pipelines` fills it in; `alerts` reads it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TableMetrics:
    source: str
    table: str
    rows_in: int = 0
    rows_landed: int = 0
    rows_rejected: int = 0
    # Of rows_landed, those at or before the previous run's cursor (shop's lag window): mostly
    # rows read and appended again, plus any late row landing for the first time (telling them
    # apart would mean reading bronze). Rows past the cursor = landed - lag window.
    rows_lag_window: int = 0
    bytes: int = 0
    seconds: float = 0.0
    status: str = "ok"  # ok | skipped | failed
    detail: str = ""


@dataclass
class RunReport:
    run_id: str
    load_date: str
    lake_url: str
    started_at: str
    finished_at: str = ""
    status: str = "running"
    errors: dict[str, str] = field(default_factory=dict)
    tables: list[TableMetrics] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)
