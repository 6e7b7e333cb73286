"""dlt's log, kept to what asks something of the user: its notices that do not are dropped
(they stay at INFO or DEBUG, shown with `-v`)."""

from __future__ import annotations

import logging
import re

from cinelake import lake

log = logging.getLogger(__name__)

# dlt's log of a load job that failed transiently and is retried (an I/O error such as a full
# disk): a traceback per attempt. The run's error names the table once; -v shows them.
DLT_RETRY_NOTICES = re.compile(
    r"^(?:Transient exception in job |Job for \S+ retried in load "
    r"|Package \S+ was not fully loaded)"
)


class _QuietArrowHintNotice(logging.Filter):
    """Drops dlt's per-table WARNING that arrow's column hints differ from the resource's.

    The shop's hints come from MySQL reflection and are the ones dlt keeps (DECIMAL precision,
    nullability that connectorx's arrow types do not carry); the data is unchanged and the
    message asks nothing of the user. Its per-column detail remains at INFO (`-v`).
    Also the sql_database WARNING that the load date's partition columns (hinted on every
    resource, see bronze.prepare) are not reflected source columns: they are added by us.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if DLT_RETRY_NOTICES.match(message) and not log.isEnabledFor(logging.DEBUG):
            return False  # the failure is ours to report, once, naming the table
        return "when merging arrow schema with dlt schema" not in message and not (
            "do not match any reflected source columns" in message
            and message.startswith(f"Resource columns {list(lake.PARTITION_COLUMNS)}")
        )


def quiet() -> None:
    """Filter dlt's logger (once per process)."""
    dlt_log = logging.getLogger("dlt")
    if not any(isinstance(f, _QuietArrowHintNotice) for f in dlt_log.filters):
        dlt_log.addFilter(_QuietArrowHintNotice())
