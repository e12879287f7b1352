"""Translate Telegram messages into classifier Submissions (no I/O, testable alone)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Message, MessageEntity, MessageOrigin
from telegram.constants import ChatType

from classifier import ChatKind, Submission

MAX_IMAGE_BYTES = 10 * 1024 * 1024
_LINK_ENTITIES = (MessageEntity.URL, MessageEntity.TEXT_LINK)


@dataclass(frozen=True)
class Origin:
    """Where a forwarded message came from: ``kind`` is user, hidden_user, chat or channel."""

    kind: str
    name: str

    @property
    def code(self) -> str:
        """The compact form the Submission carries (``kind:name``)."""
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Piece:
    """What one message contributes to a check (several pieces make one burst)."""

    update_id: int
    message_id: int
    text: str = ""
    hidden_urls: tuple[str, ...] = ()
    has_links: bool = False
    origin: Origin | None = None
    image_file_id: str | None = None
    image_too_big: bool = False
    media_group_id: str | None = None
    language: str | None = None

    @property
    def grouped(self) -> bool:
        """Part of an album or a forward: more messages are likely to follow at once."""
        return self.media_group_id is not None or self.origin is not None


def hidden_links(message: Message) -> list[str]:
    """Links behind link text (TEXT_LINK entities) that the text itself does not show."""
    entities = message.entities or message.caption_entities or ()
    return [
        entity.url for entity in entities if entity.type == MessageEntity.TEXT_LINK and entity.url
    ]


def origin_of(origin: MessageOrigin | None) -> Origin | None:
    """Where a forwarded message came from (None if not forwarded)."""
    if origin is None:
        return None
    if origin.type == MessageOrigin.USER:
        return Origin("user", origin.sender_user.full_name)  # type: ignore[attr-defined]
    if origin.type == MessageOrigin.HIDDEN_USER:
        return Origin("hidden_user", origin.sender_user_name)  # type: ignore[attr-defined]
    if origin.type == MessageOrigin.CHAT:
        return Origin("chat", origin.sender_chat.title or "")  # type: ignore[attr-defined]
    if origin.type == MessageOrigin.CHANNEL:
        return Origin("channel", origin.chat.title or "")  # type: ignore[attr-defined]
    return Origin(str(origin.type), "")


def describe_origin(origin: MessageOrigin | None) -> str | None:
    """The compact ``kind:name`` form of a forward origin (None if not forwarded)."""
    found = origin_of(origin)
    return found.code if found else None


def _image(message: Message) -> tuple[str | None, bool]:
    """The file id of the largest photo size or image document, and whether it is too big."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return largest.file_id, (largest.file_size or 0) > MAX_IMAGE_BYTES
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        return document.file_id, (document.file_size or 0) > MAX_IMAGE_BYTES
    return None, False


def piece_from_message(message: Message, *, update_id: int) -> Piece:
    """The part of a check one message brings: text, links, origin, image."""
    entities = message.entities or message.caption_entities or ()
    image, too_big = _image(message)
    user = message.from_user
    return Piece(
        update_id=update_id,
        message_id=message.message_id,
        text=message.text or message.caption or "",
        hidden_urls=tuple(hidden_links(message)),
        has_links=any(entity.type in _LINK_ENTITIES for entity in entities),
        origin=origin_of(message.forward_origin),
        image_file_id=image,
        image_too_big=too_big,
        media_group_id=message.media_group_id,
        language=user.language_code if user else None,
    )


def submission_from_pieces(
    pieces: Sequence[Piece],
    *,
    image_text: Sequence[str] = (),
    image_urls: Sequence[str] = (),
    chat_kind: ChatKind = ChatKind.PRIVATE,
) -> Submission:
    """One Submission for a burst: texts in order, hidden links, then what images showed."""
    urls: list[str] = []
    for url in [url for piece in pieces for url in piece.hidden_urls] + list(image_urls):
        if url not in urls:
            urls.append(url)
    origin = next((piece.origin for piece in pieces if piece.origin), None)
    return Submission(
        text="\n".join(piece.text for piece in pieces if piece.text),
        urls=tuple(urls),
        image_text=tuple(image_text),
        forward_origin=origin.code if origin else None,
        chat_kind=chat_kind,
        language=next((piece.language for piece in pieces if piece.language), None),
    )


def submission_from_message(message: Message) -> Submission:
    """The Submission for a single text or captioned message."""
    piece = piece_from_message(message, update_id=0)
    kind = ChatKind.PRIVATE if message.chat.type == ChatType.PRIVATE else ChatKind.GROUP
    return submission_from_pieces([piece], chat_kind=kind)
