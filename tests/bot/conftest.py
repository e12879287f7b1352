"""The real bot application running against the project's local Bot API server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.app import build_application, polling
from bot.config import Settings, load_settings
from bot.localapi import LocalBotApi
from bot.storage import migrate

TOKEN = "123456:TEST-token-for-the-local-server"
USER_ID = 501


@dataclass
class RunningBot:
    """A running application, the server it polls, and its settings."""

    api: LocalBotApi
    application: Application[Any, Any, Any, Any, Any, Any]
    settings: Settings


@pytest.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """Build the application exactly as ``scamcheck run`` does and start polling."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(migrate.upgrade, url)
    settings = load_settings(database_url=url)
    async with LocalBotApi(TOKEN) as api:
        api.add_user(USER_ID, "测试用户")
        application = build_application(settings, token=TOKEN, bot_api_url=api.root_url)
        async with polling(application, poll_timeout=1):
            yield RunningBot(api=api, application=application, settings=settings)
