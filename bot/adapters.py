"""Translate Telegram messages into classifier Submissions (no I/O, testable alone)."""

from __future__ import annotations

from telegram import Message, MessageEntity, MessageOrigin
from telegram.constants import ChatType

from classifier import ChatKind, Submission


def hidden_links(message: Message) -> list[str]:
    """Links behind link text (TEXT_LINK entities) that the text itself does not show."""
    entities = message.entities or message.caption_entities or ()
    return [
        entity.url for entity in entities if entity.type == MessageEntity.TEXT_LINK and entity.url
    ]


def describe_origin(origin: MessageOrigin | None) -> str | None:
    """Where a forwarded message came from, in plain words (None if not forwarded)."""
    if origin is None:
        return None
    if origin.type == MessageOrigin.USER:
        user = origin.sender_user  # type: ignore[attr-defined]
        return f"user:{user.full_name}"
    if origin.type == MessageOrigin.HIDDEN_USER:
        return f"hidden_user:{origin.sender_user_name}"  # type: ignore[attr-defined]
    if origin.type == MessageOrigin.CHAT:
        return f"chat:{origin.sender_chat.title}"  # type: ignore[attr-defined]
    if origin.type == MessageOrigin.CHANNEL:
        return f"channel:{origin.chat.title}"  # type: ignore[attr-defined]
    return origin.type


def submission_from_message(message: Message) -> Submission:
    """The Submission for a text or captioned message."""
    user = message.from_user
    return Submission(
        text=message.text or message.caption or "",
        urls=tuple(hidden_links(message)),
        forward_origin=describe_origin(message.forward_origin),
        chat_kind=ChatKind.PRIVATE if message.chat.type == ChatType.PRIVATE else ChatKind.GROUP,
        language=user.language_code if user else None,
    )
