"""dlt source for TMDB: the genre list and `/discover/movie` pages, one snapshot per day.

The client retries what is worth retrying: HTTP 429 (sleeping the `Retry-After` it was given,
capped), 5xx, timeouts, connection errors and bodies that are not valid JSON, with bounded
exponential backoff. Anything else (401 for a bad token, 400 for a bad page), or a retryable
failure that persists, raises TmdbError with the endpoint, the page and the last answer: the
run fails and, because the whole extraction happens before anything is written, no partial day
reaches bronze.

tmdbv3api is not used here: it caches responses, cannot be pointed at a URL without poking
at a private attribute, and neither retries nor exposes 429s.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import dlt
import requests

from cinelake.config import REAL_TMDB_URL, TMDB_MAX_PAGE

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


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


@dlt.source(name="tmdb", max_table_nesting=0)  # genre_ids stay a list in one column
def tmdb(
    base_url: str = REAL_TMDB_URL,
    access_token: str = dlt.secrets.value,
    genre_ids: list[int] = (27,),  # noqa: B006 - a tuple, not mutated
    language: str = "pt-BR",
    max_pages: int = TMDB_MAX_PAGE,
    extracted_at: dt.datetime | None = None,
    client: TmdbClient | None = None,
):
    """Genre names and the discover pages of each genre, stamped with the extraction time."""
    if not 1 <= max_pages <= TMDB_MAX_PAGE:
        raise ValueError(f"max_pages must be between 1 and {TMDB_MAX_PAGE}, got {max_pages}")
    client = client or TmdbClient(base_url, access_token)
    extracted_at = extracted_at or dt.datetime.now(dt.UTC)
    stamp = {"_language": language, "_extracted_at": extracted_at}

    @dlt.resource(name="genres", write_disposition="append", primary_key="id")
    def genres() -> Iterator[dict]:
        body = client.get("/genre/movie/list", language=language)
        yield [{**genre, **stamp} for genre in body["genres"]]

    @dlt.resource(name="discover_movies", write_disposition="append", primary_key="id")
    def discover_movies() -> Iterator[list[dict]]:
        for genre_id in genre_ids:
            page, last_page = 1, 1
            while page <= last_page:
                body = client.get("/discover/movie", with_genres=genre_id, language=language,
                                  sort_by="popularity.desc", page=page)  # fmt: skip
                last_page = min(int(body.get("total_pages") or 0), max_pages)
                yield [
                    {**movie, "_genre_query": genre_id, "_page": page, **stamp}
                    for movie in body["results"]
                ]
                if page % 25 == 0:
                    log.info("TMDB genre %s: page %d of %d", genre_id, page, last_page)
                page += 1

    return genres, discover_movies
