"""``scamcheck run``: the bot, on real Telegram (token set) or in local mode (no token)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from bot.config import Settings, UpdateMode, load_settings
from bot.logs import configure_logging
from bot.storage import migrate

log = logging.getLogger(__name__)

# The local Bot API server accepts only this token; it never leaves the machine.
LOCAL_TOKEN = "123456:LOCAL-scamcheck-token"
LOCAL_USER_ID = 10001


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``run``."""
    parser = commands.add_parser(
        "run",
        help="run the bot",
        description=(
            "Run the bot. With TELEGRAM_BOT_TOKEN set it talks to Telegram (long polling, or "
            "webhook with SCAMCHECK_MODE=webhook); without a token it runs in local mode: the "
            "same bot against a built-in Bot API server, with a chat in this terminal."
        ),
    )
    parser.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not apply database migrations at start (default: apply them)",
    )
    parser.add_argument(
        "--local",
        action="store_true",
        help="force local mode even when a token is configured",
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    settings = load_settings()
    token = settings.telegram_bot_token
    configure_logging(
        settings.log_level if not (args.local or settings.local_mode) else "WARNING",
        secrets=[
            token.get_secret_value() if token else "",
            settings.webhook_secret.get_secret_value() if settings.webhook_secret else "",
        ],
    )
    if not args.no_migrate:
        migrate.upgrade(settings.database_url.get_secret_value())
    if args.local or settings.local_mode:
        asyncio.run(_run_local(settings))
        return 0
    _run_telegram(settings)
    return 0


def _run_telegram(settings: Settings) -> None:
    from telegram import Update

    from bot.app import build_application

    if "hash_salt" not in settings.model_fields_set:
        log.warning(
            "SCAMCHECK_HASH_SALT is not set: content hashes use the public default salt; "
            "set a secret salt before serving real users"
        )
    application = build_application(settings)
    log.info("starting in %s mode against %s", settings.mode.value, settings.bot_api_url)
    if settings.mode is UpdateMode.WEBHOOK:
        if not settings.webhook_url:
            from bot.config import SettingsError

            raise SettingsError(
                "invalid setting SCAMCHECK_WEBHOOK_URL: required when SCAMCHECK_MODE=webhook"
            )
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            webhook_url=settings.webhook_url,
            secret_token=(
                settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            ),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


async def _run_local(settings: Settings) -> None:
    from bot.app import build_application, polling
    from bot.localapi import LocalBotApi, run_terminal_chat

    async with LocalBotApi(LOCAL_TOKEN, port=settings.local_port) as api:
        application = build_application(settings, token=LOCAL_TOKEN, bot_api_url=api.root_url)
        async with polling(application):
            await run_terminal_chat(api, user_id=LOCAL_USER_ID)
    print("再见 / bye", file=sys.stderr)
