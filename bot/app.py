"""Build the one python-telegram-bot ``Application`` the bot runs (real or local Telegram)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import messages
from bot.config import Settings
from bot.context import BotData
from bot.handlers import basic, check, errors, paid, privacy, report, verdict_buttons
from bot.services import Services

CONCURRENT_UPDATES = 256


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
        # Many updates at once: a burst waits for its window and one user's flood never
        # delays others; per-user order is kept by bot.runtime.UserLocks.
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )

    # Handlers, in the order they are tried: commands first, then buttons, then content.
    # New private messages only: an edited message is not checked a second time.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", basic.start))
    application.add_handler(CommandHandler("help", basic.help_command))
    # Personal commands answer in the private chat only (never in a family group).
    for name, callback in (
        ("paid", paid.paid_command),
        ("report", report.report_command),
        ("cancel", report.cancel_command),
        ("privacy", privacy.privacy_command),
        ("delete", privacy.delete_command),
    ):
        application.add_handler(CommandHandler(name, callback, filters=filters.ChatType.PRIVATE))
    for pattern, callback in (
        (r"^why:", verdict_buttons.on_why),
        (r"^paid:", verdict_buttons.on_paid),
        (r"^fb:", verdict_buttons.on_feedback),
        (r"^retry:", verdict_buttons.on_retry),
        (r"^rt:", report.on_report_type),
        (r"^consent:", privacy.on_consent),
        (r"^del:", privacy.on_delete),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(
        MessageHandler(
            private
            & (filters.TEXT | filters.CAPTION | filters.PHOTO | filters.Document.IMAGE)
            & ~filters.COMMAND,
            check.check_message,
        )
    )
    application.add_handler(
        MessageHandler(
            private & (filters.Document.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO),
            check.media_without_text,
        )
    )
    application.add_error_handler(errors.on_error)
    return application


@asynccontextmanager
async def polling(
    application: Application,  # type: ignore[type-arg]
    *,
    poll_timeout: int = 10,
) -> AsyncIterator[None]:
    """Run an application's polling inside an already running event loop.

    ``run_polling`` owns the loop and calls the lifecycle hooks itself; local mode and the
    tests share their loop with the local Bot API server, so they start the same way here:
    initialize → post_init → start → poll, and the reverse on the way out.
    """
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
