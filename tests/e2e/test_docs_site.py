"""The docs site in a real headless Chromium, after the README's main job (scripts/pipeline.sh):
the lineage of fct_viewing_sessions reaches its bronze sources; every model page shows every
line of its code; a gold table shows its real row count; the overview shows its two pictures,
drawn and not blank. Saves screenshots to .artifacts/ (CINELAKE_ARTIFACTS_DIR)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.helpers.stack import BIN_DIR, MAIN_STACK_GROUP, PROJECT_ROOT, free_port

# on the main job's stack: one xdist worker runs these modules, in order (tests/conftest.py)
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group(MAIN_STACK_GROUP)]

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
PICTURES = ("overview_star_schema.svg", "overview_pipeline_health.svg")
ARTIFACTS = Path(os.environ.get("CINELAKE_ARTIFACTS_DIR") or PROJECT_ROOT / ".artifacts")


@pytest.fixture(scope="module")
def stack(main_stack):
    """The main job's stack (see conftest)."""
    return main_stack


@pytest.fixture(scope="module")
def pipeline(main_job):
    """The main job on the session stack: demo data, ingestion, build, run history, docs."""
    return main_job


@pytest.fixture(scope="module")
def manifest(stack, pipeline) -> dict:
    return json.loads((Path(stack.env["DBT_TARGET_PATH"]) / "manifest.json").read_text())


@pytest.fixture(scope="module")
def docs_url(stack, pipeline):
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


def wait_for(driver, script: str, timeout_s: float = 30, *args):
    """The first truthy answer of `script` in the page, or an AssertionError at the timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        answer = driver.execute_script(script, *args)
        if answer:
            return answer
        time.sleep(0.25)
    raise AssertionError(f"the page never answered: {script[:80]}")


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / name
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


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
    time.sleep(1)  # let the layout animation settle before the picture
    screenshot(browser, "docs_lineage_fct_viewing_sessions.png")


# The code block's Source tab as laid out on the screen: its characters grouped into rows by
# where the browser draws them (left to right), spaces left out. The DOM holds the whole text
# even when the site shows it wrongly (a lone quote in a Jinja comment made Prism open a string
# whose lines were drawn over each other or off to the side), so the check is on the layout.
SHOWN_ROWS = r"""
const tab = [...document.querySelectorAll('code-block .nav-tabs a')]
    .find(a => a.textContent.trim() === 'Source');
if (!tab) return null;
if (!tab.parentElement.classList.contains('active')) { tab.click(); return null; }
const code = document.querySelector('code-block code.source-code');
if (!code || !code.textContent.trim()) return null;
const chars = [];
const range = document.createRange();
const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.line-numbers-rows')) continue;
    for (let i = 0; i < node.data.length; i++) {
        if (/\s/.test(node.data[i])) continue;
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width || box.height) chars.push([box.top, box.left, node.data[i]]);
    }
}
chars.sort((a, b) => a[0] - b[0]);
const rows = [];
for (const c of chars) {
    const row = rows[rows.length - 1];
    if (row && c[0] - row.top < 6) row.chars.push(c); else rows.push({top: c[0], chars: [c]});
}
return rows.map(r => r.chars.sort((a, b) => a[1] - b[1]).map(c => c[2]).join(''));
"""


def code_lines(node: dict) -> list[str]:
    """The non-blank lines of a model's file, without white space."""
    path = PROJECT_ROOT / node["original_file_path"]
    lines = ["".join(line.split()) for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def quote_in_a_comment(node: dict) -> bool:
    """A quote inside a Jinja or SQL comment: what made Prism draw a page wrongly (above)."""
    text = (PROJECT_ROOT / node["original_file_path"]).read_text()
    comments = re.findall(r"\{#.*?#\}", text, re.S) + re.findall(r"--[^\n]*", text)
    return any("'" in comment or '"' in comment for comment in comments)


LONGEST_MODELS = 10


def test_model_pages_show_every_line_of_their_code(manifest, docs_url, browser):
    """Every model with a quote in a comment (the known cause), and the 10 longest as a sample of
    the rest: each page is a full load, and all 61 took 3.5 minutes of CI. A new cause that only
    a short model without such a quote shows would be missed."""
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(models) > 40
    by_length = sorted(models, key=lambda n: (-len(code_lines(n)), n["unique_id"]))
    risky = [n for n in models if quote_in_a_comment(n)]
    assert risky  # int_title_keys and int_title_credits_unioned have such comments today
    chosen = {n["unique_id"]: n for n in [*risky, *by_length[:LONGEST_MODELS]]}
    models = sorted(chosen.values(), key=lambda n: n["unique_id"])
    cut = {}
    for node in models:
        browser.get(f"{docs_url}#!/model/{node['unique_id']}")
        wait_for(browser, "return document.querySelector('code-block') && "
                 f"document.body.innerText.includes({json.dumps(node['name'])});")  # fmt: skip
        shown = wait_for(browser, SHOWN_ROWS)
        lines = code_lines(node)
        if shown != lines:
            wrong = [line for line in lines if line not in shown]
            cut[node["name"]] = f"{len(lines)} lines, {len(shown)} rows shown; not {wrong[:3]}"
        browser.get("about:blank")  # the next page renders from scratch
    assert not cut, cut


def test_a_gold_table_shows_its_real_row_count(stack, docs_url, browser):
    [(count,)] = stack.thrift_rows("select count(*) from gold.fct_viewing_sessions")
    assert count > 1000
    browser.get(f"{docs_url}#!/model/model.cinelake.fct_viewing_sessions")
    text = wait_for(browser, "const t = document.body.innerText; "
                    "return /Rows/i.test(t) && t.includes('Details') ? t : null;")  # fmt: skip
    shown = [line.strip() for line in text.splitlines()]
    rows_at = next(i for i, line in enumerate(shown) if line.lower() == "rows")
    value = next(line for line in shown[rows_at + 1 :] if line)
    assert value.replace(",", "") == str(count) or value == f"{count:,}"  # the exact count


def test_overview_shows_both_pictures_drawn_and_not_blank(stack, manifest, docs_url, browser):
    browser.get(f"{docs_url}#!/overview")
    ink = """
const img = [...document.images].find(i => i.src.endsWith(arguments[0]));
if (!img || !img.complete || !img.naturalWidth) return null;
const canvas = document.createElement('canvas');
canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
const ctx = canvas.getContext('2d');
ctx.drawImage(img, 0, 0);
const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
let inked = 0;
for (let i = 0; i < px.length; i += 4) if (px[i] < 200 || px[i+1] < 200 || px[i+2] < 200) inked++;
return [img.naturalWidth, img.naturalHeight, inked / (px.length / 4)];
"""
    for picture in PICTURES:
        width, height, inked = wait_for(browser, ink, 30, picture)
        assert width > 400 and height > 200, (picture, width, height)
        assert inked > 0.01, f"{picture} is blank ({inked:.2%} of its pixels inked)"
    screenshot(browser, "docs_overview.png")
    star = urlopen(f"{docs_url}{PICTURES[0]}").read().decode()
    star_models = [
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith(("dim_", "fct_"))
    ]
    assert all(f">{name}</text>" in star for name in star_models)
    health = urlopen(f"{docs_url}{PICTURES[1]}").read().decode()
    load_days = stack.thrift_rows("select distinct load_date from gold.ops_data_quality_daily")
    assert all(f"{day.isoformat() if hasattr(day, 'isoformat') else day} landed:" in health
               for (day,) in load_days)  # fmt: skip


def test_the_docs_site_is_told_to_track_nothing(manifest):
    """dbt's docs page loads a tracking script when its manifest's metadata says so
    (dbt_project.yml's flags turn it off; the stack's environment has no DBT_ variable)."""
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False


def test_the_ops_tables_hold_every_node_of_the_last_build(stack, pipeline):
    """The run history of the main job: every node of its build with its Spark cost, once;
    the job's output ends with the ten costliest nodes."""
    [(invocation, nodes)] = stack.thrift_rows(
        "select invocation_id, count(*) from ops.dbt_node_runs group by invocation_id "
        "order by max(invocation_started_at) desc limit 1"
    )
    built = dict(stack.thrift_rows(
        "select r.node_id, c.executor_run_time_ms from ops.dbt_node_runs r "
        "join ops.dbt_node_costs c using (invocation_id, node_id) "
        f"where r.invocation_id = '{invocation}' and r.resource_type = 'model' "
        "and r.materialized in ('table', 'incremental')"
    ))  # fmt: skip
    assert nodes > 300  # models, seeds, data and unit tests
    assert "model.cinelake.fct_viewing_sessions" in built
    assert all(ms > 0 for ms in built.values()), built  # every table cost Spark something
    [(rows,)] = stack.thrift_rows(
        "select table_rows from ops.dbt_node_runs where node_id = "
        f"'model.cinelake.dim_title' and invocation_id = '{invocation}'"
    )
    assert rows == stack.thrift_rows("select count(*) from gold.dim_title")[0][0]
    [(costs,)] = stack.thrift_rows(
        f"select count(*) from ops.dbt_node_costs where invocation_id = '{invocation}'"
    )
    assert costs == nodes  # one cost row per node, none twice
    tail = pipeline.stdout.strip().splitlines()[-12:]
    assert tail[0] == "The 10 costliest dbt nodes of this build (Spark executor time):", tail
    node_kinds = ("model.", "test.", "unit_test.", "seed.")
    assert all(line.split()[-1].startswith(node_kinds) for line in tail[2:]), tail
