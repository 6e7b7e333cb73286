"""Crash points of `cinelake ingest`, for the crash tests (CINELAKE_CRASH_AT).

A test names one point; when the run reaches it, the process SIGKILLs itself: no exception
handler, `finally` or dlt signal handler runs, exactly as when the machine or an operator
kills it. Points:

- `extract:<source>`   mid-extraction: after the first item, before dlt commits the package
- `normalize:<source>` extracted package committed, normalization not yet run
- `load:<source>.<table>`   the table's load job started, its Delta commit not yet made
- `commit:<source>.<table>` the table's Delta commit made, dlt not yet told the job is done

Unset (the default) it costs one comparison per point.
"""

from __future__ import annotations

import logging
import os
import signal

from cinelake.config import load_settings

log = logging.getLogger(__name__)


def point(name: str) -> None:
    """SIGKILL this process when CINELAKE_CRASH_AT names `name`."""
    if load_settings().crash_at == name:
        log.warning("CINELAKE_CRASH_AT=%s: killing this process (SIGKILL)", name)
        logging.shutdown()
        os.kill(os.getpid(), signal.SIGKILL)
