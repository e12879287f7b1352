"""Helpers for the private-chat tests: the final reply after a placeholder, the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.localapi import BotMessage, LocalBotApi
from bot.storage import create_engine, session_factory

PLACEHOLDER_PREFIX = "🔎"


class Chat:
    """One user's private chat with the running bot."""

    def __init__(self, running_bot: Any, user_id: int = 501) -> None:
        self.running_bot = running_bot
        self.api: LocalBotApi = running_bot.api
        self.user_id = user_id
        self.runtime = running_bot.application.bot_data.runtime

    async def next(self, timeout: float = 30.0) -> BotMessage:  # noqa: ASYNC109
        """The next thing the bot did in this chat."""
        return await self.api.next_bot_message(self.user_id, timeout=timeout)

    async def verdict(self, timeout: float = 30.0) -> BotMessage:  # noqa: ASYNC109
        """The next answer that is not a "正在……" placeholder (sent or edited in place)."""
        while True:
            event = await self.next(timeout)
            if not (event.kind == "sent" and event.text.startswith(PLACEHOLDER_PREFIX)):
                return event

    def events(self) -> list[BotMessage]:
        """Everything the bot did in this chat so far."""
        return [event for event in self.api.bot_messages if event.chat_id == self.user_id]

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        """A session on the bot's database (committed on exit)."""
        engine = create_engine(self.running_bot.settings.database_url.get_secret_value())
        try:
            async with session_factory(engine)() as session, session.begin():
                yield session
        finally:
            await engine.dispose()


@pytest.fixture(autouse=True)
def _never_open_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the internet: the bot's link checks stay offline."""
    monkeypatch.setenv("SCAMCHECK_OFFLINE", "true")


@pytest.fixture
def chat(running_bot: Any) -> Chat:
    """The private chat of the user the running_bot fixture registers (id 501)."""
    return Chat(running_bot)


@pytest.fixture
def png() -> bytes:
    """A tiny valid PNG (black, 2×1)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00"))
        + chunk(b"IEND", b"")
    )
