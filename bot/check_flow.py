"""One check in a private chat, from the collected messages to the verdict on screen.

Links or pictures: a "typing" action and ONE placeholder message, edited into the verdict.
Plain text: the verdict as a reply (with "typing" only if the check takes a moment).
Any failure: a polite apology with a reference and a "重试" button that runs the same
messages again (kept in memory, see bot/runtime.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardMarkup, ReplyParameters
from telegram.constants import ChatAction

from bot import messages
from bot.adapters import Piece, submission_from_pieces
from bot.checking import check_and_record
from bot.keyboards import retry_keyboard, verdict_keyboard
from bot.photos import ImagesRead, read_pieces
from bot.render import render_verdict
from bot.runtime import PendingCheck, Remembered, Runtime
from bot.script import localise
from bot.services import Services
from bot.ttlstore import short_token

log = logging.getLogger(__name__)


class _Reply:
    """Where the answer goes: the placeholder (edited) or a new reply."""

    def __init__(self, bot: Bot, chat_id: int, reply_to: int | None, traditional: bool) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.reply_to = reply_to
        self.traditional = traditional
        self.message_id: int | None = None

    def tr(self, text: str) -> str:
        return localise(text, self.traditional)

    async def placeholder(self, text: str) -> None:
        await self.bot.send_chat_action(self.chat_id, ChatAction.TYPING)
        sent = await self.bot.send_message(
            self.chat_id, self.tr(text), reply_parameters=self._reply_parameters()
        )
        self.message_id = sent.message_id

    def _reply_parameters(self) -> ReplyParameters | None:
        if self.reply_to is None:
            return None
        return ReplyParameters(self.reply_to, allow_sending_without_reply=True)

    async def deliver(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        text = self.tr(text)
        if self.message_id is not None:
            await self.bot.edit_message_text(
                text, chat_id=self.chat_id, message_id=self.message_id, reply_markup=markup
            )
        else:
            await self.bot.send_message(
                self.chat_id,
                text,
                reply_markup=markup,
                reply_parameters=self._reply_parameters(),
            )


async def _typing_later(bot: Bot, chat_id: int, delay: float) -> None:
    await asyncio.sleep(delay)
    with contextlib.suppress(Exception):
        await bot.send_chat_action(chat_id, ChatAction.TYPING)


def _notes(pieces: Sequence[Piece], images: ImagesRead, has_text: bool) -> list[str]:
    notes = []
    if len(pieces) > 1:
        notes.append(messages.BURST.format(count=len(pieces)))
    if images.unavailable and has_text:
        notes.append(messages.IMAGES_UNAVAILABLE)
    elif images.failures and has_text:
        notes.append(messages.IMAGES_PARTLY.format(count=len(images.failures)))
    return notes


def _unreadable(pieces: Sequence[Piece], images: ImagesRead) -> str:
    """What to say when nothing readable is left (no text, pictures not read)."""
    if images.unavailable:
        return messages.MEDIA_NOT_READ_YET
    if images.failures:
        reason = images.failures[0]
        return messages.IMAGE_FAILED.get(reason, messages.IMAGE_FAILED_DEFAULT)
    return messages.EMPTY


def _input_kind(has_words: bool, has_images: bool) -> str:
    if has_images:
        return "mixed" if has_words else "image"
    return "text"


async def run_check(
    *,
    bot: Bot,
    service: Services,
    runtime: Runtime,
    pieces: Sequence[Piece],
    chat_id: int,
    user_id: int,
    traditional: bool,
    progress_message_id: int | None = None,
) -> None:
    """Check the collected messages and show the verdict (one user at a time, in order)."""
    reference = pieces[0].update_id
    reply = _Reply(bot, chat_id, pieces[0].message_id, traditional)
    reply.message_id = progress_message_id
    has_images = any(piece.image_file_id for piece in pieces)
    has_links = any(piece.has_links or piece.hidden_urls for piece in pieces)
    typing: asyncio.Task[None] | None = None
    async with runtime.locks.hold(user_id):
        try:
            if reply.message_id is None and (has_images or has_links):
                await reply.placeholder(
                    messages.READING_IMAGES if has_images else messages.CHECKING_LINKS
                )
            elif reply.message_id is None:
                typing = asyncio.create_task(_typing_later(bot, chat_id, runtime.typing_delay))
            images = await read_pieces(bot, pieces)
            submission = submission_from_pieces(
                pieces, image_text=images.text, image_urls=images.urls
            )
            if not submission.combined_text().strip():
                await reply.deliver(_unreadable(pieces, images))
                return
            has_words = any(piece.text for piece in pieces)
            verdict, check_id = await check_and_record(
                service,
                submission,
                user_id=user_id,
                chat_id=None,
                input_kind=_input_kind(has_words, has_images),
            )
            origin = next((piece.origin for piece in pieces if piece.origin), None)
            runtime.verdicts.put(check_id, Remembered(verdict, origin, user_id))
            notes = _notes(pieces, images, bool(submission.text.strip()))
            if verdict.components.get("truncated"):
                notes.append(messages.TOO_LONG)
            text = render_verdict(verdict, service.analyzer.knowledge, origin=origin, notes=notes)
            markup = verdict_keyboard(check_id, warns=verdict.is_fraud, localise=reply.tr)
            await reply.deliver(text, markup)
        except Exception:
            log.exception("check of update %s failed (user's messages kept for retry)", reference)
            token = short_token()
            runtime.retries.put(token, PendingCheck(tuple(pieces), chat_id, user_id, traditional))
            try:
                await reply.deliver(
                    messages.CHECK_FAILED.format(reference=reference),
                    retry_keyboard(token, reply.tr),
                )
            except Exception:
                log.warning("could not send the apology for update %s", reference)
        finally:
            if typing is not None:
                typing.cancel()
