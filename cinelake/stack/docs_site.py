"""`cinelake docs`: serve the generated dbt docs site on CINELAKE_BIND_HOST.

That is 127.0.0.1 by default; docker-compose.yml sets 0.0.0.0 so that the published port reaches
the server inside its container. Only the files the site loads are served (index.html, which
fetches manifest.json and catalog.json, and the overview's pictures that `cinelake ops docs`
draws): dbt's target path also holds compiled and run SQL, run_results.json and more,
which are not for a web page; every other path is a 404.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from cinelake.config import LOOPBACK, bounds, load_settings
from cinelake.errors import UsageError
from cinelake.stack.process import ServiceError, ensure_port_free

log = logging.getLogger(__name__)
# What the dbt docs site loads, and nothing else: name -> content type.
SITE_FILES = {
    "index.html": "text/html; charset=utf-8",
    "manifest.json": "application/json",
    "catalog.json": "application/json",
    # models/overview.md shows these (cinelake.ops.store writes them)
    "overview_star_schema.svg": "image/svg+xml",
    "overview_pipeline_health.svg": "image/svg+xml",
}
# The site works without its pictures (a build not yet recorded): only these must exist.
REQUIRED_FILES = ("index.html", "manifest.json", "catalog.json")
INDEX = "index.html"
ALL_INTERFACES = "0.0.0.0"
MIN_PORT, MAX_PORT = bounds("docs_port")  # CINELAKE_DOCS_PORT's, for any port handed in


def target_dir() -> Path:
    """dbt's target path: DBT_TARGET_PATH if set, else <project>/target."""
    return load_settings().dbt_target_path


def check_port(port: object) -> int:
    """The port as an int in 1-65535, or a UsageError (a ValueError) naming the setting."""
    if isinstance(port, bool) or not isinstance(port, int) or not MIN_PORT <= port <= MAX_PORT:
        raise UsageError(
            f"the docs port must be a number from {MIN_PORT} to {MAX_PORT} "
            f"(--port or CINELAKE_DOCS_PORT), got {port!r}"
        )
    return port


def site_handler(directory: Path) -> type[BaseHTTPRequestHandler]:
    """A handler answering the site's files from `directory` (read on every request, so a new
    `dbt docs generate` shows without a restart) and 404 for anything else."""

    class SiteHandler(BaseHTTPRequestHandler):
        def site_file(self) -> tuple[bytes, str] | None:
            path = urlsplit(self.path).path
            name = INDEX if path == "/" else path.removeprefix("/")
            if name not in SITE_FILES:
                return None
            try:
                return (directory / name).read_bytes(), SITE_FILES[name]
            except OSError:
                return None

        def answer(self, with_body: bool) -> None:
            found = self.site_file()
            if found is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not part of the docs site")
                return
            body, content_type = found
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self.answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self.answer(with_body=False)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            log.debug(format, *args)

    return SiteHandler


def make_server(port: int, directory: Path, host: str = LOOPBACK) -> ThreadingHTTPServer:
    check_port(port)
    missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
    if missing:
        raise ServiceError(
            f"no docs site in {directory} (missing {', '.join(missing)}): run "
            "`dbt docs generate` first (scripts/main.sh does)"
        )
    ensure_port_free(port, "the docs server", "CINELAKE_DOCS_PORT", host)
    try:
        return ThreadingHTTPServer((host, port), site_handler(directory))
    except OSError as exc:  # taken between the check and the bind, or not ours to bind
        raise UsageError(
            f"the docs server cannot listen on {host}:{port} ({exc.strerror or exc}): "
            "choose another port with --port or CINELAKE_DOCS_PORT"
        ) from exc


def serve(port: int) -> None:
    check_port(port)
    host = load_settings().bind_host
    server = make_server(port, target_dir(), host)
    # 0.0.0.0 is no address to browse: show the loopback one (inside a container,
    # compose publishes the port on the host's 127.0.0.1, by default under the same number).
    shown = LOOPBACK if host == ALL_INTERFACES else host
    print(f"dbt docs on http://{shown}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
