"""A local, TMDB-compatible HTTP server: the only stand-in of the project (no internet here).

It serves `/3/discover/movie` and `/3/genre/movie/list` with the real API's shapes and limits:
20 results per page, pages 1-500 (HTTP 400, `status_code` 22 beyond), HTTP 401 with
`status_code` 7 for a missing or wrong key, genre names in pt-BR or English. Its movies are
the generator's `tmdb_movies.jsonl`; popularity moves with the demo clock (`state.json`'s day),
so each day's extraction is a different snapshot.

Faults are injected per run, deterministically ("every Nth request"), configured at start
from CINELAKE_TMDB_FAULTS (JSON) or at any time with `PUT /_cinelake/faults`; `GET
/_cinelake/stats` tells how many of each were served. Keys of the fault JSON:
`rate_limit_every` (429 with Retry-After: `retry_after_s`), `server_error_every` (503),
`slow_every` (sleep `slow_s` seconds before answering), `malformed_every` (a truncated body).

Run: python -m cinelake.demo.tmdb_server --port 8780 --demo-dir .cinelake/demo
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import logging
import re
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cinelake.config import LOOPBACK, PROJECT_ROOT, TMDB_STANDIN_DEFAULT_KEY, load_settings
from cinelake.ingest import redaction

log = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_PAGE = 500
GENRES_SEED = PROJECT_ROOT / "seeds" / "tmdb_genres.csv"
DEFAULT_API_KEY = TMDB_STANDIN_DEFAULT_KEY
SORT_KEYS = {
    "popularity": lambda m: m["popularity"],
    "vote_average": lambda m: m["vote_average"],
    "vote_count": lambda m: m["vote_count"],
    "primary_release_date": lambda m: m["release_date"],
    "title": lambda m: m["title"].lower(),
}
FAULT_KINDS = ("rate_limit", "server_error", "slow", "malformed")
ERROR_INVALID_KEY = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}
ERROR_INVALID_PAGE = {
    "status_code": 22,
    "status_message": (
        "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."
    ),
    "success": False,
}
ERROR_NOT_FOUND = {
    "status_code": 34,
    "status_message": "The resource you requested could not be found.",
    "success": False,
}


def popularity(base: float, movie_id: int, day: dt.date) -> float:
    """Deterministic day-to-day drift of +-30 % around the movie's base popularity."""
    digest = hashlib.sha256(f"{movie_id}:{day.isoformat()}".encode()).digest()
    factor = 0.7 + 0.6 * (int.from_bytes(digest[:4], "big") / 2**32)
    return round(base * factor, 3)


def load_genres() -> list[dict]:
    with GENRES_SEED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Catalog:
    """The movies and the demo clock, re-read when the generator rewrites them."""

    def __init__(self, demo_dir: Path):
        self.demo_dir = demo_dir
        self._stamp: tuple | None = None
        self.movies: list[dict] = []
        self.day = dt.date.today()
        self._lock = threading.Lock()
        self._results: dict[tuple, list[dict]] = {}  # one query's sorted results, for paging

    def cached(self, key: tuple, compute) -> list[dict]:
        """Sorted results of a query for the current data and day (paging reads them 500x)."""
        with self._lock:
            hit = self._results.get(key)
        if hit is None:
            hit = compute()
            with self._lock:
                self._results[key] = hit
        return hit

    def refresh(self) -> None:
        files = (self.demo_dir / "tmdb_movies.jsonl", self.demo_dir / "state.json")
        stamp = tuple(f.stat().st_mtime_ns if f.exists() else None for f in files)
        with self._lock:
            if stamp == self._stamp:
                return
            movies = []
            if files[0].exists():
                with files[0].open(encoding="utf-8") as handle:
                    movies = [json.loads(line) for line in handle if line.strip()]
            day = dt.date.today()
            if files[1].exists():
                state = json.loads(files[1].read_text())
                day = dt.date.fromisoformat(state["as_of"]) + dt.timedelta(days=state["day"])
            self.movies, self.day, self._stamp = movies, day, stamp
            self._results = {}


class Faults:
    """Counts requests and decides, deterministically, which ones fail and how."""

    def __init__(self, config: dict | None = None):
        self._lock = threading.Lock()
        self.configure(config or {})

    def configure(self, config: dict) -> None:
        unknown = set(config) - {f"{k}_every" for k in FAULT_KINDS} - {"retry_after_s", "slow_s"}
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        with self._lock:
            self.config = dict(config)
            self.requests = 0
            self.served = dict.fromkeys(FAULT_KINDS, 0)

    def next(self) -> str | None:
        with self._lock:
            self.requests += 1
            for kind in FAULT_KINDS:
                every = int(self.config.get(f"{kind}_every") or 0)
                if every and self.requests % every == 0:
                    self.served[kind] += 1
                    return kind
            return None

    def stats(self) -> dict:
        with self._lock:
            return {"requests": self.requests, "faults": dict(self.served), "config": self.config}


def _arg(query: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    """The last value wins (tmdbv3api appends api_key and language after the caller's)."""
    values = query.get(name)
    return values[-1] if values else default


def _matches(query: dict[str, list[str]]):
    """The movie filter of with_genres (comma = all of, | = any of) and primary_release_year."""
    genres = _arg(query, "with_genres") or ""
    wanted = {int(g) for g in re.split(r"[,|]", genres) if g.strip().isdigit()}
    any_of = "|" in genres
    year = _arg(query, "primary_release_year") or ""

    def keep(movie: dict) -> bool:
        ids = set(movie["genre_ids"])
        if wanted and not (wanted & ids if any_of else wanted <= ids):
            return False
        return not year.isdigit() or movie["release_date"][:4] == year

    return keep


def _result(movie: dict, day: dt.date, pt_br: bool) -> dict:
    return {
        "adult": False,
        "backdrop_path": movie.get("backdrop_path"),
        "genre_ids": movie["genre_ids"],
        "id": movie["id"],
        "original_language": movie["original_language"],
        "original_title": movie["original_title"],
        "overview": movie["overview_pt_br"] if pt_br else movie["overview_en"],
        "popularity": popularity(movie["popularity_base"], movie["id"], day),
        "poster_path": movie.get("poster_path"),
        "release_date": movie["release_date"],
        "title": movie["title_pt_br"] if pt_br else movie["title_en"],
        "video": False,
        "vote_average": movie["vote_average"],
        "vote_count": movie["vote_count"],
    }


def discover(catalog: Catalog, query: dict[str, list[str]], pt_br: bool) -> tuple[int, dict]:
    page_raw = _arg(query, "page", "1")
    try:
        page = int(page_raw)
    except ValueError:
        return HTTPStatus.BAD_REQUEST, ERROR_INVALID_PAGE
    if not 1 <= page <= MAX_PAGE:
        return HTTPStatus.BAD_REQUEST, ERROR_INVALID_PAGE
    sort_by = _arg(query, "sort_by") or "popularity.desc"
    key = (_arg(query, "with_genres"), _arg(query, "primary_release_year"), sort_by, pt_br)
    results = catalog.cached(key, lambda: _sorted_results(catalog, query, sort_by, pt_br))
    total = len(results)
    return HTTPStatus.OK, {
        "page": page,
        "results": results[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total_pages": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "total_results": total,
    }


def _sorted_results(catalog: Catalog, query, sort_by: str, pt_br: bool) -> list[dict]:
    keep = _matches(query)
    results = [_result(m, catalog.day, pt_br) for m in catalog.movies if keep(m)]
    field, _, direction = sort_by.partition(".")
    sort_key = SORT_KEYS.get(field, SORT_KEYS["popularity"])
    # id as tie-breaker: pages never overlap or skip a movie for a fixed day
    results.sort(key=lambda m: (sort_key(m), m["id"]), reverse=direction != "asc")
    return results


def make_handler(catalog: Catalog, faults: Faults, api_key: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "cinelake-tmdb-standin/1"

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            # A client that still sends `?api_key=` must not have it written to our log.
            log.info("%s %s", self.address_string(), redaction.redact(format % args))

        def _send(self, status: int, body: dict | bytes, headers: dict | None = None) -> None:
            payload = (
                body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_PUT(self) -> None:  # noqa: N802 - stdlib name
            if urlsplit(self.path).path != "/_cinelake/faults":
                return self._send(HTTPStatus.NOT_FOUND, ERROR_NOT_FOUND)
            length = int(self.headers.get("Content-Length") or 0)
            try:
                faults.configure(json.loads(self.rfile.read(length) or b"{}"))
            except (ValueError, TypeError) as exc:
                return self._send(
                    HTTPStatus.BAD_REQUEST, {"success": False, "status_message": str(exc)}
                )
            self._send(HTTPStatus.OK, faults.stats())

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/_cinelake/stats":
                return self._send(HTTPStatus.OK, faults.stats())
            if url.path == "/_cinelake/health":
                return self._send(HTTPStatus.OK, {"ok": True})
            bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
            if (_arg(query, "api_key") or bearer) != api_key:
                return self._send(HTTPStatus.UNAUTHORIZED, ERROR_INVALID_KEY)
            fault = faults.next()
            if fault == "rate_limit":
                retry = str(faults.config.get("retry_after_s", 1))
                return self._send(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    {
                        "status_code": 25,
                        "success": False,
                        "status_message": "Your request count (41) is over the limit of 40.",
                    },
                    {"Retry-After": retry},
                )
            if fault == "server_error":
                return self._send(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    {
                        "status_code": 9,
                        "success": False,
                        "status_message": "Service offline - try again later.",
                    },
                )
            if fault == "slow":
                time.sleep(float(faults.config.get("slow_s", 5)))
            catalog.refresh()
            pt_br = (_arg(query, "language") or "en-US").lower().startswith("pt")
            if url.path == "/3/genre/movie/list":
                name = "genre_name_pt_br" if pt_br else "genre_name_en"
                status, body = (
                    HTTPStatus.OK,
                    {
                        "genres": [
                            {"id": int(g["genre_id"]), "name": g[name]} for g in load_genres()
                        ]
                    },
                )
            elif url.path == "/3/discover/movie":
                status, body = discover(catalog, query, pt_br)
            else:
                status, body = HTTPStatus.NOT_FOUND, ERROR_NOT_FOUND
            if fault == "malformed" and status == HTTPStatus.OK:
                text = json.dumps(body, ensure_ascii=False).encode()
                return self._send(status, text[: max(1, len(text) // 2)])
            self._send(status, body)

    return Handler


def serve(
    port: int, demo_dir: Path, api_key: str, faults: dict | None = None, host: str = LOOPBACK
) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(
        (host, port), make_handler(Catalog(demo_dir), Faults(faults), api_key)
    )
    server.daemon_threads = True
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description="Local TMDB-compatible stand-in")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--demo-dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = load_settings()
    key, faults = settings.tmdb_standin_key, settings.tmdb_faults
    server = serve(args.port, args.demo_dir, key, faults, settings.bind_host)
    log.info(
        "TMDB stand-in on http://%s:%d/3 (data: %s)", settings.bind_host, args.port, args.demo_dir
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
