"""Secrets are redacted from log output."""

from __future__ import annotations

import logging

from bot.logs import RedactSecrets


def test_token_is_redacted_from_formatted_messages() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", ("https://x/bot123:ABCDEF/getMe",), None
    )
    assert RedactSecrets(["123:ABCDEF"]).filter(record)
    assert record.getMessage() == "POST https://x/bot[REDACTED]/getMe"


def test_short_or_empty_secrets_are_ignored() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "a b c", None, None)
    RedactSecrets(["", "a"]).filter(record)
    assert record.getMessage() == "a b c"
