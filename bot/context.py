"""Typed handler context: ``context.bot_data.services`` instead of string keys."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ExtBot

from bot.runtime import Runtime
from bot.services import Services


class BotData:
    """Application-wide state; ``services`` is set in ``post_init``."""

    services: Services

    def __init__(self) -> None:
        self.runtime = Runtime()


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]


def services(context: Context) -> Services:
    """The services of the running application."""
    return context.bot_data.services


def runtime(context: Context) -> Runtime:
    """The in-memory helpers (rate limits, bursts, pending retries) of this process."""
    return context.bot_data.runtime
