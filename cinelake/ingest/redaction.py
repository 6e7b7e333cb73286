"""One redaction step for every text that leaves the process: log lines, error messages, run
reports, the `ops/ingestion_runs` table and alerts.

Credentials should never reach a text in the first place (the TMDB token travels in a header,
the PII salt stays on the Spark server); this is the net under that rule, for what a library
puts in an exception: a URL with a password, a query string with a key, a webhook address.
`configure()` is called once the settings are known (the CLI does it); `redact()` then removes
every known secret value and, whatever the configuration, the password of any URL and the
value of any credential-looking query parameter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "***"
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@/\s]+@", re.IGNORECASE)
_QUERY_CREDENTIAL = re.compile(
    r"(?P<head>[?&](?:api_?key|access_?token|token|key|password|secret|signature)=)[^&\s'\"]+",
    re.IGNORECASE,
)
_secrets: tuple[str, ...] = ()


def configure(secrets: Iterable[str]) -> None:
    """Remember the secret values to remove (longest first, so no part of one survives)."""
    global _secrets
    _secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))


def redact(text: str) -> str:
    """The text without any known secret, URL password or credential query value."""
    for secret in _secrets:
        text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(rf"\g<head>{MASK}@", text)
    return _QUERY_CREDENTIAL.sub(rf"\g<head>{MASK}", text)


def install_log_redaction() -> None:
    """Redact every log record of every logger (ours, dlt's, urllib3's) as it is made.

    A record factory rather than a handler filter: dlt and others add handlers of their own,
    and a factory sees every record whichever handler prints it.
    """
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "cinelake_redacts", False):
        return

    def redacting_factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return record

    redacting_factory.cinelake_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)
