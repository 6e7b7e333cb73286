"""The redaction step every outgoing text passes: known secrets, URL passwords, key params."""

from __future__ import annotations

import logging

import pytest

from cinelake.ingest import redaction


@pytest.fixture(autouse=True)
def known_secrets():
    redaction.configure(["s3cr3t-token", "tok"])
    yield
    redaction.configure([])


def test_known_secrets_are_masked_longest_first():
    assert redaction.redact("Bearer s3cr3t-token failed") == "Bearer *** failed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mysql+pymysql://etl:hunter22@db:3306/shop", "mysql+pymysql://etl:***@db:3306/shop"),
        ("GET /3/discover?page=1&api_key=abc123", "GET /3/discover?page=1&api_key=***"),
        ("https://x/y?access_token=abc&page=2", "https://x/y?access_token=***&page=2"),
        ("nothing secret here: page=2", "nothing secret here: page=2"),
    ],
)  # fmt: skip
def test_url_passwords_and_credential_parameters_are_masked_whatever_the_configuration(
    text, expected
):
    redaction.configure([])
    assert redaction.redact(text) == expected


def test_log_records_of_any_logger_are_redacted(caplog):
    redaction.install_log_redaction()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("connecting with %s", "s3cr3t-token")
    assert caplog.records[-1].getMessage() == "connecting with ***"
    assert "s3cr3t-token" not in caplog.text
