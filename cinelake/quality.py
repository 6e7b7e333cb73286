"""`cinelake quality`: the data-health gate after a build, per source table and load day.

Ingestion alone cannot see a bad table: the shop's rows all land, and only silver knows that
most of a day's sessions were quarantined. This gate reads `gold.ops_data_quality_daily`
(rows read, rejected at ingestion and quarantined in silver, per source table and load day)
and applies the same rule as the CSV reject-rate alarm to rejected + quarantined rows: a table
above CINELAKE_REJECT_RATE_MAX, or with every row set aside, fails the gate (exit 1) and posts
the alert to CINELAKE_ALERT_WEBHOOK. `scripts/pipeline.sh` runs it after `dbt build`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cinelake.config import Settings
from cinelake.errors import CinelakeError
from cinelake.ingest import alerts
from cinelake.ingest.reject_rate import RejectRate
from cinelake.stack import sql_client

MART = "gold.ops_data_quality_daily"


@dataclass(frozen=True)
class TableHealth:
    """One source table on one load day."""

    source: str
    table: str
    read: int
    rejected: int
    quarantined: int

    @property
    def set_aside(self) -> RejectRate:
        return RejectRate(self.read, self.rejected + self.quarantined)


def day_health(settings: Settings, day: dt.date | None) -> tuple[dt.date, list[TableHealth]]:
    """The newest load day of the mart (or `day`) and its tables' figures."""
    when = f"date'{day.isoformat()}'" if day else f"(select max(load_date) from {MART})"
    columns, rows = sql_client.run(
        settings,
        f"select load_date, source_name, source_table,"
        f" sum(case when outcome = 'read' then row_total else 0 end),"
        f" sum(case when outcome = 'rejected' then row_total else 0 end),"
        f" sum(case when outcome = 'quarantined' then row_total else 0 end)"
        f" from {MART} where load_date = {when}"
        f" group by load_date, source_name, source_table order by source_name, source_table",
    )
    if not rows:
        raise CinelakeError(f"{MART} has no load day {day or ''}: run `dbt build` first")
    return rows[0][0], [TableHealth(*(row[1:3]), *map(int, row[3:])) for row in rows]


def check(settings: Settings, day: dt.date | None = None) -> int:
    """Print the day's table; alert and return 1 when a table trips the rate."""
    load_date, tables = day_health(settings, day)
    limit = settings.reject_rate_max
    tripped = {
        f"{t.source}.{t.table}": f"{t.rejected + t.quarantined:,} of {t.read:,} rows set aside "
        f"({t.set_aside.share:.0%}): {t.rejected:,} rejected, {t.quarantined:,} quarantined"
        for t in tables
        if t.set_aside.trips(limit)
    }
    sql_client.print_table(
        ["source", "table", "read", "rejected", "quarantined", "set aside", "status"],
        [
            (t.source, t.table, t.read, t.rejected, t.quarantined,
             f"{t.set_aside.share:.1%}", "FAILED" if f"{t.source}.{t.table}" in tripped else "ok")
            for t in tables
        ],
    )  # fmt: skip
    if not tripped:
        print(f"data health {load_date}: ok (every table at most {limit:g} set aside)")
        return 0
    print(f"data health {load_date}: {len(tripped)} table(s) above {limit:g} set aside")
    if settings.alert_webhook:
        alerts.post(
            settings.alert_webhook,
            alerts.message(
                f":red_circle: Cinelake data health {load_date}: "
                f"{', '.join(sorted(tripped))} set aside too many rows",
                tripped,
                f"rejected at ingestion + quarantined in silver, from {MART}",
            ),
        )
    return 1
