"""Check what a resident sends or forwards in a private chat, and answer with the verdict.

Thin: turn the message into a Piece, apply the per-user rate limit, gather a burst (album,
several forwards) into one check, then hand over to bot.check_flow.
"""

from __future__ import annotations

from telegram import Update

from bot import messages
from bot.adapters import piece_from_message
from bot.check_flow import run_check
from bot.context import Context, runtime, services
from bot.handlers import report
from bot.handlers.common import answer, remember_script


async def check_message(update: Update, context: Context) -> None:
    """Text, captions, photos and image documents: one check per burst of messages."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if report.awaiting_value(context) and (message.text or message.caption):
        await report.receive_value(update, context)
        return
    rt = runtime(context)
    piece = piece_from_message(message, update_id=update.update_id)
    window = rt.burst_window if piece.grouped else 0.0
    if rt.bursts.join(user.id, piece, window):
        return
    if not rt.limiter.allow(user.id):
        if rt.limiter.should_warn(user.id):
            await answer(update, context, messages.RATE_LIMITED.format(rate=rt.limiter.rate))
        return
    pieces = await rt.bursts.collect(user.id, piece, window)
    traditional = remember_script(context, user, "\n".join(p.text for p in pieces))
    await run_check(
        bot=context.bot,
        service=services(context),
        runtime=rt,
        pieces=pieces,
        chat_id=message.chat_id,
        user_id=user.id,
        traditional=traditional,
    )


async def media_without_text(update: Update, context: Context) -> None:
    """Voice, audio and other files: say what the bot can read."""
    await answer(update, context, messages.VOICE_NOT_READ)
