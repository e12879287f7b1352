"""/start and /help."""

from __future__ import annotations

from telegram import Update

from bot import messages
from bot.context import Context, services
from bot.storage import queries


async def start(update: Update, context: Context) -> None:
    """Greet the user: what the bot does and what it stores."""
    user = update.effective_user
    if user is not None:
        async with services(context).transaction() as session:
            await queries.touch_user(session=session, user_id=user.id, language=user.language_code)
    if update.effective_message is not None:
        await update.effective_message.reply_text(messages.WELCOME)


async def help_command(update: Update, context: Context) -> None:
    """Explain the commands."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(messages.HELP)
