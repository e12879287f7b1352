"""A tiny python-telegram-bot application polling the local Bot API server.

Fixtures only: test modules cannot import from a conftest (tests have no packages).
"""

from __future__ import annotations

import html
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.localapi import LocalBotApi

Context = ContextTypes.DEFAULT_TYPE
BotApp = Application[Any, Any, Any, Any, Any, Any]
StartBot = Callable[..., AbstractAsyncContextManager[tuple[BotApp, list[Update]]]]


def _png(width: int = 2, height: int = 1) -> bytes:
    """A valid black PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("为什么？", callback_data="why"),
            InlineKeyboardButton("👍 准确", callback_data="good"),
        ],
        [InlineKeyboardButton("官网", url="https://www.12321.cn/")],
    ]
)


async def echo(update: Update, context: Context) -> None:
    """Reply "<b>收到</b>：text" with the feedback keyboard."""
    assert update.message and update.message.text
    text = html.escape(update.message.text)
    await update.message.reply_text(
        f"<b>收到</b>：{text}", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )


async def describe_photo(update: Update, context: Context) -> None:
    """Download the photo and tell its size in bytes."""
    assert update.message
    file = await context.bot.get_file(update.message.photo[-1].file_id)
    data = await file.download_as_bytearray()
    await update.message.reply_text(f"图片 {len(data)} 字节")


async def on_button(update: Update, context: Context) -> None:
    """Answer the press and edit the message."""
    query = update.callback_query
    assert query
    await query.answer("谢谢")
    await query.edit_message_text(f"你选择了 <i>{query.data}</i>", parse_mode=ParseMode.HTML)


@asynccontextmanager
async def running_bot(
    api: LocalBotApi, *, rate_limiter: BaseRateLimiter[Any] | None = None
) -> AsyncIterator[tuple[BotApp, list[Update]]]:
    """A polling Application with echo, photo and button handlers; yields it and its updates."""
    builder = ApplicationBuilder().token(api.token).base_url(api.base_url)
    builder = builder.base_file_url(api.base_file_url)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    seen: list[Update] = []

    async def record(update: object, context: Context) -> None:
        assert isinstance(update, Update)
        seen.append(update)

    application.add_handler(MessageHandler(filters.ALL, record), group=-1)
    application.add_handler(CallbackQueryHandler(record), group=-1)
    application.add_handler(ChatMemberHandler(record, ChatMemberHandler.ANY_CHAT_MEMBER), -1)
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(MessageHandler(filters.PHOTO, describe_photo))
    application.add_handler(CallbackQueryHandler(on_button))
    await application.initialize()
    await application.start()
    assert application.updater
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application, seen
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@pytest.fixture
def start_bot() -> StartBot:
    """`async with start_bot(api) as (application, updates_seen):`."""
    return running_bot


@pytest.fixture
def png() -> bytes:
    """A 2×1 PNG image."""
    return _png()
