"""`cinelake docs`: serve the generated dbt docs site (target/) on 127.0.0.1."""

from __future__ import annotations

import functools
import logging
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ingestion.config import LOOPBACK, PROJECT_ROOT
from ingestion.services.process import ServiceError, ensure_port_free

log = logging.getLogger(__name__)
SITE_FILES = ("index.html", "manifest.json", "catalog.json")


def target_dir() -> Path:
    """dbt's target path: DBT_TARGET_PATH if set, else <project>/target."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target")


def make_server(port: int, directory: Path) -> ThreadingHTTPServer:
    missing = [name for name in SITE_FILES if not (directory / name).is_file()]
    if missing:
        raise ServiceError(
            f"no docs site in {directory} (missing {', '.join(missing)}): run "
            "`dbt docs generate` first (scripts/main.sh does)"
        )
    ensure_port_free(port, "the docs server", "CINELAKE_DOCS_PORT")

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            log.debug(format, *args)

    handler = functools.partial(QuietHandler, directory=str(directory))
    return ThreadingHTTPServer((LOOPBACK, port), handler)


def serve(port: int) -> None:
    server = make_server(port, target_dir())
    print(f"dbt docs on http://{LOOPBACK}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
