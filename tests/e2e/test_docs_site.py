"""The docs site in a real headless Chromium: the lineage of fct_viewing_sessions reaches its
bronze sources. Saves a screenshot to .artifacts/ (CINELAKE_ARTIFACTS_DIR)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import BIN_DIR, PROJECT_ROOT, free_port
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Without these, Chromium keeps dialling Google's hosts on this closed network.
CHROMIUM_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--window-size=1600,1000",
)  # fmt: skip
UPSTREAM_SOURCES = {
    "source.cinelake.shop.viewing_sessions",
    "source.cinelake.shop.customers",
    "source.cinelake.shop.catalog_titles",
    "source.cinelake.csv.movies",
    "source.cinelake.csv.series",
    "source.cinelake.tmdb.discover_movies",
}
NOT_IN_LINEAGE = {"source.cinelake.ops.ingestion_runs", "source.cinelake.shop.plans"}


@pytest.fixture(scope="module")
def docs_url(stack):
    stack.dbt("docs", "generate")
    port = free_port()
    server = subprocess.Popen(
        [str(BIN_DIR / "cinelake"), "docs", "--port", str(port)],
        cwd=PROJECT_ROOT, env=stack.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert b"dbt docs on" in server.stdout.readline()
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (*CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def visible_lineage(driver, timeout_s: float = 30) -> set[str]:
    """Ids of the nodes the lineage graph shows, once cytoscape has laid it out."""
    script = (
        "const el = document.querySelector('#cy');"
        "if (!el || !el._cyreg || !el._cyreg.cy) return null;"
        "return el._cyreg.cy.nodes().filter(n => n.visible()).map(n => n.id());"
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        nodes = driver.execute_script(script)
        if nodes:
            return set(nodes)
        time.sleep(0.5)
    raise AssertionError("the lineage graph never rendered")


def test_lineage_of_fct_viewing_sessions_reaches_its_bronze_sources(docs_url, browser):
    selection = quote("+fct_viewing_sessions+")
    browser.get(f"{docs_url}#!/model/model.cinelake.fct_viewing_sessions?g_v=1&g_i={selection}")
    nodes = visible_lineage(browser)
    assert "model.cinelake.fct_viewing_sessions" in nodes
    assert nodes >= UPSTREAM_SOURCES, UPSTREAM_SOURCES - nodes
    assert not nodes & NOT_IN_LINEAGE  # the graph is the model's lineage, not everything
    artifacts = Path(os.environ.get("CINELAKE_ARTIFACTS_DIR") or PROJECT_ROOT / ".artifacts")
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / "docs_lineage_fct_viewing_sessions.png"
    time.sleep(1)  # let the layout animation settle before the picture
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_overview_page_shows_the_star_schema(docs_url, browser):
    browser.get(f"{docs_url}#!/overview")
    deadline = time.monotonic() + 30
    while "fct_viewing_sessions" not in browser.page_source and time.monotonic() < deadline:
        time.sleep(0.5)
    text = browser.find_element("tag name", "body").text
    assert "Star schema" in text and "dim_customer (SCD2)" in text
