"""Settings: defaults, environment, .env, clear errors, no secrets in reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_BOT_API_URL, SettingsError, UpdateMode, load_settings


def test_defaults_need_no_configuration() -> None:
    settings = load_settings()
    assert settings.local_mode
    assert settings.database_url.get_secret_value().startswith("sqlite+aiosqlite:///var/")
    assert settings.bot_api_url == DEFAULT_BOT_API_URL
    assert settings.mode is UpdateMode.POLLING
    assert settings.bot_api_base_url == "https://api.telegram.org/bot"
    assert settings.bot_api_file_url == "https://api.telegram.org/file/bot"


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "SCAMCHECK_BOT_API_URL=http://127.0.0.1:8081/\nSCAMCHECK_ADMIN_IDS=1, 2\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token-value")
    monkeypatch.setenv("SCAMCHECK_DATABASE_URL", "postgresql+asyncpg://u:pw@db/scamcheck")
    settings = load_settings()
    assert not settings.local_mode
    assert settings.bot_api_url == "http://127.0.0.1:8081"
    assert settings.admin_ids == frozenset({1, 2})
    assert settings.database_url.get_secret_value().startswith("postgresql+asyncpg://")


def test_secrets_never_appear_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token-value")
    monkeypatch.setenv("SCAMCHECK_DATABASE_URL", "postgresql+asyncpg://u:hunter2@db/x")
    settings = load_settings()
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert "secret-token-value" not in text
        assert "hunter2" not in text


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SCAMCHECK_DATABASE_URL", "sqlite:///x.db", "SCAMCHECK_DATABASE_URL"),
        ("SCAMCHECK_BOT_API_URL", "ftp://x", "SCAMCHECK_BOT_API_URL"),
        ("SCAMCHECK_MODE", "carrier-pigeon", "SCAMCHECK_MODE"),
        ("SCAMCHECK_WEBHOOK_PORT", "70000", "SCAMCHECK_WEBHOOK_PORT"),
        ("SCAMCHECK_LOG_LEVEL", "LOUD", "SCAMCHECK_LOG_LEVEL"),
    ],
)
def test_invalid_settings_fail_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
