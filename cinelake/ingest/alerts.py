"""Failure alerts as Slack-compatible incoming-webhook messages (seed 003's Slack alerts)."""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request

from cinelake.ingest import redaction
from cinelake.ingest.report import RunReport

log = logging.getLogger(__name__)
TIMEOUT_S = 10


def failure_message(report: RunReport) -> dict:
    """`text` for any receiver, `blocks` for Slack's richer layout."""
    failed = ", ".join(sorted(report.errors))
    text = f":red_circle: Cinelake ingestion run {report.run_id} failed ({failed})"
    details = "\n".join(f"*{source}*: `{error[:400]}`" for source, error in report.errors.items())
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "section", "text": {"type": "mrkdwn", "text": details}},
            {
                "type": "context",
                "elements": [{
                    "type": "mrkdwn",
                    "text": f"load date {report.load_date} · lake {report.lake_url}",
                }],
            },
        ],
    }  # fmt: skip


def post_failure(webhook_url: str, report: RunReport) -> bool:
    """POST the alert; a dead webhook is logged, it never hides the run's own failure."""
    body = redaction.redact(json.dumps(failure_message(report)))
    request = urllib.request.Request(
        webhook_url,
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return 200 <= response.status < 300
    except OSError as exc:
        # The webhook's address is itself a credential: the error names the host only.
        host = urllib.parse.urlsplit(webhook_url).hostname
        log.error("could not post the failure alert to the webhook on %s: %s", host, exc)
        return False
