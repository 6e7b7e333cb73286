"""The TMDB client sends its token in a header, never in a URL, and its errors hold no token."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cinelake.ingest.sources.tmdb import RetryPolicy, TmdbClient, TmdbError

TOKEN = "fake-read-access-token-0123456789"


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict]]]:
    """A loopback server that records each request and answers as `status` says."""
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            seen.append({"path": self.path, "auth": self.headers.get("Authorization")})
            ok = self.headers.get("Authorization") == f"Bearer {TOKEN}"
            status, body = (200, {"genres": []}) if ok else (401, {"status_code": 7})
            if "fail" in self.path:
                status, body = 503, {"status_message": "down"}
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/3", seen
    httpd.shutdown()


def test_the_token_travels_as_a_bearer_header_not_in_the_url(server):
    base_url, seen = server
    assert TmdbClient(base_url, TOKEN).get("/genre/movie/list", language="pt-BR") == {"genres": []}
    assert seen[0]["auth"] == f"Bearer {TOKEN}"
    assert TOKEN not in seen[0]["path"] and "api_key" not in seen[0]["path"]


def test_a_wrong_token_and_a_persistent_5xx_fail_without_the_token_in_the_error(server):
    base_url, _ = server
    with pytest.raises(TmdbError, match="HTTP 401") as refused:
        TmdbClient(base_url, "wrong-" + TOKEN).get("/genre/movie/list")
    policy = RetryPolicy(max_attempts=2, backoff_s=0)
    with pytest.raises(TmdbError, match="failed after 2 attempts") as failing:
        TmdbClient(base_url, TOKEN, policy, sleep=lambda _s: None).get("/fail")
    assert TOKEN not in str(refused.value) + str(failing.value)
