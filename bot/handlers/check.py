"""Check a message a resident sent or forwarded, and answer with the verdict."""

from __future__ import annotations

from telegram import Update

from bot import messages
from bot.adapters import submission_from_message
from bot.checking import check_and_record
from bot.context import Context, services
from bot.render import render_verdict


async def check_message(update: Update, context: Context) -> None:
    """Analyse the text (and hidden links) of a private message and reply with the verdict."""
    message = update.effective_message
    if message is None:
        return
    submission = submission_from_message(message)
    if not submission.combined_text().strip():
        await message.reply_text(messages.EMPTY)
        return
    service = services(context)
    verdict, _check_id = await check_and_record(
        service,
        submission,
        user_id=message.from_user.id if message.from_user else None,
        chat_id=None,
    )
    await message.reply_text(render_verdict(verdict, service.analyzer.knowledge))


async def media_without_text(update: Update, _context: Context) -> None:
    """Photos, voice and files without a caption: say what the bot can read today."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(messages.MEDIA_NOT_READ_YET)
