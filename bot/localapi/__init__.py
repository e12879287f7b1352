"""A local Telegram Bot API server for tests and a terminal chat with the bot.

Usage (more in tests/bot/localapi/test_server.py)::

    async with LocalBotApi("123:abc") as api:
        app = ApplicationBuilder().token("123:abc").base_url(api.base_url).build()
        ...  # start polling, then act as a user:
        api.add_user(1, "小明")
        api.send_text(1, "你好")
        reply = await api.next_bot_message(1)
"""

from .errors import ApiError
from .server import LocalBotApi
from .state import ApiCall, BotMessage, Button, CallbackAnswer, ChatAction, Injected, UserRecord
from .terminal import run_terminal_chat
from .validation import FormattedText, parse_html

__all__ = [
    "ApiCall",
    "ApiError",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "ChatAction",
    "FormattedText",
    "Injected",
    "LocalBotApi",
    "UserRecord",
    "parse_html",
    "run_terminal_chat",
]
