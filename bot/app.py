"""Build the one python-telegram-bot ``Application`` the bot runs (real or local Telegram)."""

from __future__ import annotations

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    Defaults,
)

from bot import messages
from bot.config import Settings
from bot.context import BotData
from bot.handlers import basic, errors
from bot.services import Services


def build_application(
    settings: Settings, *, token: str | None = None, bot_api_url: str | None = None
) -> Application:  # type: ignore[type-arg]
    """Wire the application: defaults, rate limiter, lifecycle hooks and handlers.

    ``token`` and ``bot_api_url`` override the settings (local mode passes the local server's).
    """
    secret = token or (
        settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    )
    if not secret:
        raise ValueError("a bot token is required to build the application")
    root = (bot_api_url or settings.bot_api_url).rstrip("/")

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        application.bot_data.services = Services.open(settings)
        await application.bot.set_my_commands(
            [BotCommand(name, description) for name, description in messages.COMMANDS]
        )

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        service = getattr(application.bot_data, "services", None)
        if service is not None:
            await service.close()

    application = (
        ApplicationBuilder()
        .token(secret)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(bot_data=BotData))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(16)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )

    # Handlers, in the order they are tried: commands first, then content.
    application.add_handler(CommandHandler("start", basic.start))
    application.add_handler(CommandHandler("help", basic.help_command))
    application.add_error_handler(errors.on_error)
    return application
