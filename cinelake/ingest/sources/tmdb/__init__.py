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
from collections.abc import Iterator

import dlt

from cinelake.ingest.sources.tmdb.helpers import RetryPolicy, TmdbClient, TmdbError
from cinelake.ingest.sources.tmdb.settings import API_URL, GENRE_IDS, LANGUAGE, MAX_PAGE

__all__ = [
    "TmdbError",
    "RetryPolicy",
    "TmdbClient",
    "tmdb",
]


log = logging.getLogger(__name__)


@dlt.source(name="tmdb", max_table_nesting=0)  # genre_ids stay a list in one column
def tmdb(
    access_token: str,  # given by the caller (cinelake passes its setting), never looked up
    base_url: str = API_URL,
    genre_ids: list[int] = GENRE_IDS,  # a tuple, never mutated
    language: str = LANGUAGE,
    max_pages: int = MAX_PAGE,
    extracted_at: dt.datetime | None = None,
    client: TmdbClient | None = None,
):
    """Genre names and the discover pages of each genre, stamped with the extraction time."""
    if not 1 <= max_pages <= MAX_PAGE:
        raise ValueError(f"max_pages must be between 1 and {MAX_PAGE}, got {max_pages}")
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
