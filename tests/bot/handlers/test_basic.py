"""End to end: /start and /help through the real application and the local Bot API server."""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.localapi import parse_html
from bot.storage import create_engine, queries, session_factory

USER_ID = 501  # the user tests/bot/conftest.py registers


async def test_start_greets_and_explains_privacy(running_bot: Any) -> None:
    api = running_bot.api
    api.send_text(USER_ID, "/start")
    reply = await api.next_bot_message(USER_ID, timeout=10)
    assert reply.kind == "sent"
    assert reply.text == parse_html(messages.WELCOME).text
    assert "转发" in reply.text and "隐私" in reply.text and "不保存你的原文" in reply.text
    # The user is remembered (id and language only).
    engine = create_engine(running_bot.settings.database_url.get_secret_value())
    async with session_factory(engine)() as session:
        user = await queries.get_user(session=session, user_id=USER_ID)
    await engine.dispose()
    assert user is not None and user.consent_store_text is False


async def test_help_and_commands_menu(running_bot: Any) -> None:
    api = running_bot.api
    api.send_text(USER_ID, "/help")
    reply = await api.next_bot_message(USER_ID, timeout=10)
    assert "96110" in reply.text
    commands = [call for call in api.sent if call.method == "setMyCommands"]
    assert commands, "post_init registers the command menu"
