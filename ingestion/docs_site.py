"""`cinelake docs`: serve the generated dbt docs site (target/) on CINELAKE_BIND_HOST.

That is 127.0.0.1 by default; docker-compose.yml sets 0.0.0.0 so that the published port reaches
the server inside its container.
"""

from __future__ import annotations

import functools
import logging
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ingestion.config import LOOPBACK, PROJECT_ROOT, load_settings
from ingestion.services.process import ServiceError, ensure_port_free

log = logging.getLogger(__name__)
SITE_FILES = ("index.html", "manifest.json", "catalog.json")
ALL_INTERFACES = "0.0.0.0"


def target_dir() -> Path:
    """dbt's target path: DBT_TARGET_PATH if set, else <project>/target."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target")


def make_server(port: int, directory: Path, host: str = LOOPBACK) -> ThreadingHTTPServer:
    missing = [name for name in SITE_FILES if not (directory / name).is_file()]
    if missing:
        raise ServiceError(
            f"no docs site in {directory} (missing {', '.join(missing)}): run "
            "`dbt docs generate` first (scripts/main.sh does)"
        )
    ensure_port_free(port, "the docs server", "CINELAKE_DOCS_PORT", host)

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            log.debug(format, *args)

    handler = functools.partial(QuietHandler, directory=str(directory))
    return ThreadingHTTPServer((host, port), handler)


def serve(port: int) -> None:
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
