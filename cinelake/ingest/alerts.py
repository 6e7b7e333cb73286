"""Failure alerts as Slack-compatible incoming-webhook messages (seed 003's Slack alerts)."""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from collections.abc import Mapping

from cinelake.ingest import redaction
from cinelake.ingest.report import RunReport

log = logging.getLogger(__name__)
TIMEOUT_S = 10


def failure_message(report: RunReport) -> dict:
    """The alert of a failed ingestion run."""
    failed = ", ".join(sorted(report.errors))
    return message(
        f":red_circle: Cinelake ingestion run {report.run_id} failed ({failed})",
        report.errors,
        f"load date {report.load_date} · lake {report.lake_url}",
    )


def message(text: str, details: Mapping[str, str], context: str) -> dict:
    """`text` for any receiver, `blocks` for Slack's richer layout: one line per detail."""
    lines = "\n".join(f"*{name}*: `{detail[:400]}`" for name, detail in details.items())
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "section", "text": {"type": "mrkdwn", "text": lines}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        ],
    }  # fmt: skip


def post_failure(webhook_url: str, report: RunReport) -> bool:
    return post(webhook_url, failure_message(report))


def post(webhook_url: str, payload: dict) -> bool:
    """POST an alert; a dead webhook is logged, it never hides the failure it reports."""
    body = redaction.redact(json.dumps(payload))
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
