"""The README and the reference pages hold together: every relative link of README.md,
CONTRIBUTING.md and docs/*.md names a file of the repository and, with a `#anchor`, a heading of
that file (GitHub's anchors); nothing links outside the repository; the README stays a landing
page; and docs/*.md, which dbt reads for docs blocks (`docs-paths`), holds no Jinja."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")])
README_MAX_LINES = 300

FENCE = re.compile(r"^ {0,3}(```|~~~)")
# inline code, which may wrap lines but not cross a paragraph
INLINE_CODE = re.compile(r"(`+)(?:(?!\n\s*\n)[\s\S])*?\1")
# [text](target) and ![alt](target), the text possibly wrapped; the target ends at whitespace
# or the closing parenthesis
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks (a link or heading in code is not one)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: its text without markup, lower case, spaces to -, every
    character but letters, digits, - and _ dropped."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"<[^>]+>", "", text).lower()  # inline HTML
    text = re.sub(r"[^\w\- ]", "", text)  # \w: letters, digits, _ (Unicode letters too)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor GitHub makes for the headings of a Markdown file (a repeated slug gets -1,
    -2, ...)."""
    seen: Counter[str] = Counter()
    found = set()
    for line in prose_lines(path.read_text()):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        found.add(base if not seen[base] else f"{base}-{seen[base]}")
        seen[base] += 1
    return found


def link_targets(text: str) -> list[str]:
    """The link targets of Markdown text's prose (not in code blocks or inline code)."""
    return LINK.findall(INLINE_CODE.sub("", "\n".join(prose_lines(text))))


def links(path: Path) -> list[str]:
    return link_targets(path.read_text())


def test_slug_follows_githubs_rules():
    assert slug("Run history and Spark cost: `cinelake ops`") == (
        "run-history-and-spark-cost-cinelake-ops"
    )
    assert slug("A real Spark cluster, locally: `cinelake up --cluster N`") == (
        "a-real-spark-cluster-locally-cinelake-up---cluster-n"
    )
    assert slug("Data health: `ops_data_quality_daily`") == "data-health-ops_data_quality_daily"
    assert slug("The daily run (issue 15): SF 1 and SF 10") == (
        "the-daily-run-issue-15-sf-1-and-sf-10"
    )


def test_links_are_found_wrapped_and_not_in_code():
    page = (
        "see [a](a.md) and `[b](b.md)`, `code\nwrapped [c](c.md)`\n```\n[d](d.md)\n```\n"
        "![e](e.svg) and [the\nwrapped text](f.md#g)\n"
    )
    assert link_targets(page) == ["a.md", "e.svg", "f.md#g"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    broken = []
    for target in links(page):
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        destination = (page.parent / file_part).resolve() if file_part else page
        if not destination.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading #{anchor} in {destination.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_cites_files_outside_the_repository(page):
    # every relative path that climbs (`../x`), link or not, stays inside the repository
    climbing = re.findall(r"(?<![\w.])((?:\.\./)+[\w.-]+)", page.read_text())
    outside = [p for p in climbing if not (page.parent / p).resolve().is_relative_to(ROOT)]
    assert not outside, outside


def test_the_readme_stays_a_landing_page():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) < README_MAX_LINES, (
        f"README.md has {len(lines)} lines: move reference text into docs/"
    )


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_docs_pages_hold_no_jinja(page):
    """dbt_project.yml's docs-paths include docs/: dbt parses these files for docs blocks, and
    a stray Jinja delimiter would break every dbt command's parse."""
    text = page.read_text()
    assert not re.search(r"\{[{%#]", text), f"{page.name}: Jinja delimiter ({{ {{%, {{#)"
