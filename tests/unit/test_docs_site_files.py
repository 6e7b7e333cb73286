"""The docs server answers the site and its overview pictures, and nothing else of target/."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request

import pytest

from cinelake.stack import docs_site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def site(tmp_path):
    for name in ("index.html", "manifest.json", "catalog.json", "run_results.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "overview_star_schema.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    server = docs_site.make_server(free_port(), tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_overview_pictures_are_served_as_svg(site):
    with urllib.request.urlopen(site + "overview_star_schema.svg") as answer:
        assert answer.headers["Content-Type"] == "image/svg+xml"
        assert answer.read().startswith(b"<svg")


def test_a_picture_not_drawn_yet_and_other_artifacts_are_404(site):
    for path in ("overview_pipeline_health.svg", "run_results.json"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(site + path)
        assert error.value.code == 404
