"""The TMDB client: GETs with a bearer token, retries on 429/5xx/timeouts/bad bodies."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import requests

from cinelake.ingest.sources.tmdb.settings import RETRYABLE_STATUS

log = logging.getLogger(__name__)


class TmdbError(RuntimeError):
    """TMDB could not be read; the message says which call and why."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_s: float = 0.5  # doubled after each failed attempt
    max_backoff_s: float = 8.0
    max_retry_after_s: float = 60.0
    timeout_s: float = 20.0


class TmdbClient:
    """GETs with retries. The credential is TMDB's API Read Access Token, sent as
    `Authorization: Bearer`: a v3 `api_key` query parameter would put it in every URL, and
    from there in every error text, log line and access log."""

    def __init__(self, base_url: str, token: str, policy: RetryPolicy | None = None,
                 sleep=time.sleep):  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"
        self.sleep = sleep
        self.retries = 0

    def get(self, path: str, **params) -> dict:
        """GET base_url + path; the JSON body, after retries."""
        policy = self.policy
        wait = policy.backoff_s
        last = "no attempt"
        for attempt in range(1, policy.max_attempts + 1):
            delay = wait
            try:
                response = self.session.get(
                    f"{self.base_url}{path}",
                    params=params,
                    timeout=policy.timeout_s,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    try:
                        return response.json()
                    except ValueError:
                        size = len(response.content)
                        last = f"HTTP 200 with a body that is not JSON ({size} bytes)"
                elif response.status_code in RETRYABLE_STATUS:
                    last = f"HTTP {response.status_code}: {response.text[:200]}"
                    retry_after = response.headers.get("Retry-After", "")
                    if response.status_code == 429 and retry_after.replace(".", "", 1).isdigit():
                        delay = min(float(retry_after), policy.max_retry_after_s)
                else:
                    raise TmdbError(
                        f"TMDB {path} {params} answered HTTP {response.status_code}: "
                        f"{response.text[:300]}"
                    )
            if attempt < policy.max_attempts:
                log.warning("TMDB %s %s attempt %d failed (%s); retrying in %.1fs",
                            path, params, attempt, last, delay)  # fmt: skip
                self.retries += 1
                self.sleep(delay)
                wait = min(wait * 2, policy.max_backoff_s)
        raise TmdbError(f"TMDB {path} {params} failed after {policy.max_attempts} attempts: {last}")
