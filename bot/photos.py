"""Download the pictures of a check through Telegram and read them (OCR + QR codes).

The reading itself is ``classifier.images`` (its own worker thread and time cap); this module
only fetches the bytes and gathers what the pictures said, or why they could not be read.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType

from telegram import Bot
from telegram.error import TelegramError

from bot.adapters import Piece

log = logging.getLogger(__name__)
MAX_IMAGES = 5
NO_TEXT = "no_text"
UNAVAILABLE = "unavailable"


@dataclass
class ImagesRead:
    """What the pictures of a check said, and why some could not be read."""

    text: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unavailable: bool = False


def _images_module() -> ModuleType | None:
    try:
        return importlib.import_module("classifier.images")
    except ImportError:
        log.warning("classifier.images is not available: pictures are not read")
        return None


async def read_pieces(bot: Bot, pieces: Sequence[Piece]) -> ImagesRead:
    """Read every picture of a burst (at most ``MAX_IMAGES``); never raises for a bad one."""
    result = ImagesRead()
    wanted = [piece for piece in pieces if piece.image_file_id][:MAX_IMAGES]
    if not wanted:
        return result
    images = _images_module()
    if images is None:
        result.unavailable = True
        return result
    for piece in wanted:
        if piece.image_too_big:
            result.failures.append("too_large")
            continue
        try:
            file = await bot.get_file(str(piece.image_file_id))
            data = bytes(await file.download_as_bytearray())
            reading = await images.read_image(data)
        except images.ImageError as error:
            log.info("picture of update %s not read: %s", piece.update_id, error.reason)
            result.failures.append(str(error.reason))
            continue
        except TelegramError as error:
            if "too big" in str(error).lower():
                result.failures.append("too_large")
                continue
            raise
        found = images.submission_from_image(reading)
        if not found.image_text and not found.urls:
            result.failures.append(NO_TEXT)
            continue
        result.text.extend(found.image_text)
        result.urls.extend(found.urls)
    return result
