"""The docs site shows every model and macro whole: Jinja comments hold no lone quote, no backtick.

The docs site colours SQL with Prism, which knows `--`, `/* */` and `#` comments but not
Jinja's `{# #}`: past the first line of a Jinja comment, a lone apostrophe ("the year's") opens
a string that runs to the next quote of the file, and the site then showed that part of the
code wrongly or not at all; a word in backticks becomes an identifier that the site lays out on
lines of its own. So inside `{# ... #}` every line holds its ' and " in pairs ('null' and
"valid at" are fine; possessives are written without the apostrophe), and there is no backtick.
tests/e2e/test_docs_site.py checks the result in a browser, on every model page.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQL_FOLDERS = ("models", "macros", "tests/dbt", "analyses", "snapshots")
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
QUOTES = "'\""


def sql_files() -> list[Path]:
    return sorted(p for folder in SQL_FOLDERS for p in (ROOT / folder).rglob("*.sql"))


def unpaired_quote_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every Jinja-comment line with a backtick or an odd count of ' or "."""
    found = []
    for match in JINJA_COMMENT.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        for offset, line in enumerate(match.group(0).splitlines()):
            if "`" in line or any(line.count(quote) % 2 for quote in QUOTES):
                found.append((first + offset, line.strip()))
    return found


def test_the_rule_catches_an_apostrophe_and_allows_paired_quotes():
    assert unpaired_quote_lines("{#-\n    the year's top\n-#}\nselect 1") == [(2, "the year's top")]
    assert unpaired_quote_lines("{#- 'null' and \"x\" -#}\nselect 'it''s'") == []
    assert unpaired_quote_lines("{#-\n    the `lake_root` var\n-#}") == [(2, "the `lake_root` var")]


def test_every_sql_file_exists_to_check():
    assert len(sql_files()) > 50  # models and macros are found, not an empty glob


def test_jinja_comments_pair_their_quotes_on_every_line():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in sql_files()
        for number, line in unpaired_quote_lines(path.read_text())
    ]
    why = "a lone quote or a backtick in a Jinja comment (see this test's docstring)"
    assert not offenders, why + ":\n" + "\n".join(offenders)
