"""The one configuration object of the application.

Everything is read from environment variables prefixed ``SCAMCHECK_`` (plus the conventional
``TELEGRAM_BOT_TOKEN``) and an optional ``.env`` file, with embedded defaults so that a fresh
clone runs without any configuration: SQLite under ``var/``, long polling, the bundled model.
``classifier/`` never reads the environment: the values it needs are passed down from here.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from knowledge.errors import ScamCheckError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/scamcheck.db"
DEFAULT_BOT_API_URL = "https://api.telegram.org"


class UpdateMode(StrEnum):
    """How the bot receives updates from Telegram."""

    POLLING = "polling"
    WEBHOOK = "webhook"


class SettingsError(ScamCheckError):
    """Invalid configuration; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Application settings. See README.md ("Configuration") for every variable."""

    model_config = SettingsConfigDict(
        env_prefix="SCAMCHECK_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "SCAMCHECK_TELEGRAM_BOT_TOKEN"),
        description="Bot token from @BotFather. Without it the bot runs in local mode.",
    )
    database_url: SecretStr = Field(
        default=SecretStr(DEFAULT_DATABASE_URL),
        description="Any SQLAlchemy async URL (sqlite+aiosqlite or postgresql+asyncpg).",
    )
    bot_api_url: str = Field(
        default=DEFAULT_BOT_API_URL,
        description="Root URL of the Bot API server; the bot calls {root}/bot{token}/{method}.",
    )
    mode: UpdateMode = Field(default=UpdateMode.POLLING, description="polling or webhook.")
    webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL Telegram posts updates to (webhook mode)."
    )
    webhook_listen: str = Field(default="0.0.0.0", description="Address the webhook binds.")
    webhook_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=8443, description="Port the webhook server listens on."
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends with every webhook request."
    )
    hash_salt: SecretStr = Field(
        default=SecretStr("scamcheck-local-salt"),
        description="Salt for content hashes stored instead of raw text; set it in production.",
    )
    model_dir: Path | None = Field(
        default=None, description="Directory of the fine-tuned model; default: the bundled one."
    )
    use_model: bool = Field(
        default=True,
        description="Fuse the fine-tuned text model with the rules (false: rules only).",
    )
    model_int8: bool = Field(
        default=True,
        description="Dynamic int8 quantisation of the model (false: fp32, slower, for comparison).",
    )
    offline: bool = Field(default=False, description="Never make outbound requests (links).")
    log_level: str = Field(default="INFO", description="Python logging level.")
    local_port: Annotated[int, Field(ge=0, le=65535)] = Field(
        default=0, description="Port of the local Bot API server in local mode (0 = any free)."
    )
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Comma-separated Telegram user ids with the admin role.",
    )
    # Link checks (classifier.links / classifier.fetch): README.md, "Link checks".
    link_fetching: bool = Field(
        default=True, description="Open links in checked messages (never when offline)."
    )
    fetch_ports: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset({80, 443}),
        description="Comma-separated ports link checks may connect to.",
    )
    link_cache_ttl: Annotated[int, Field(ge=0, le=7 * 86400)] = Field(
        default=3600, description="Seconds a link-check report is reused (0 = no cache)."
    )
    redis_url: SecretStr | None = Field(
        default=None,
        description="redis:// URL; when set, link reports are cached there, not in the database.",
    )

    @field_validator("fetch_ports", mode="before")
    @classmethod
    def _ports(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError("must be comma-separated port numbers, e.g. 80,443")
            value = frozenset(int(part) for part in parts)
        if isinstance(value, int):
            value = frozenset({value})
        if isinstance(value, (set, frozenset)) and not all(
            isinstance(port, int) and 0 < port < 65536 for port in value
        ):
            raise ValueError("ports must be between 1 and 65535")
        return value

    @property
    def fetch_links(self) -> bool:
        """True when link checks may open links (enabled and not offline)."""
        return self.link_fetching and not self.offline

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must be an async SQLAlchemy URL (sqlite+aiosqlite:///... or "
                "postgresql+asyncpg://...)"
            )
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @property
    def local_mode(self) -> bool:
        """True when no token is configured: run against the local Bot API server."""
        return self.telegram_bot_token is None

    @property
    def bot_api_base_url(self) -> str:
        """Base URL python-telegram-bot appends the token to."""
        return f"{self.bot_api_url}/bot"

    @property
    def bot_api_file_url(self) -> str:
        """Base URL for file downloads."""
        return f"{self.bot_api_url}/file/bot"


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning validation errors into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        variable = "TELEGRAM_BOT_TOKEN" if field == "telegram_bot_token" else field
        if not variable.isupper():
            variable = f"SCAMCHECK_{variable.upper()}"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"invalid setting {variable}: {message}") from None
    except SourceError as exc:
        # pydantic-settings says: error parsing value for field "x" from source "..."
        field = str(exc).split('"')[1] if '"' in str(exc) else "?"
        raise SettingsError(f"invalid setting SCAMCHECK_{field.upper()}: cannot parse") from None
