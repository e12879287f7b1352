"""Message entities: UTF-16 offsets and the entities Telegram detects in what users type.

Telegram measures entity offsets and lengths in UTF-16 code units, so an emoji outside the
Basic Multilingual Plane counts twice while a Chinese character counts once. Python strings
index code points, hence the small helpers here (no library offers this conversion).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

import tldextract

Entity = dict[str, Any]

# A link ends at whitespace, at quotes or angle brackets, and at full-width punctuation, which
# Chinese text puts right after a link ("请访问abc.com，领取").
_STOP_CHARS = "\\s<>\"'，。！？、；：“”‘’（）【】《》「」"
_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:xn--[a-z0-9-]+|[a-z]{2,63})"
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
# An approximation of Telegram's URL finder (td's find_urls): optional scheme, an ASCII host,
# optional port and path. Bare hosts must end in a public suffix, checked below.
_URL_RE = re.compile(
    rf"(?<![a-z0-9_@.\-/])(?P<scheme>https?://)?(?P<host>{_HOST}|{_IPV4})"
    rf"(?::\d{{1,5}})?(?P<path>[/?#][^{_STOP_CHARS}]*)?",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(rf"(?<![a-z0-9_.+\-])[a-z0-9_.+\-]+@{_HOST}", re.IGNORECASE)
_COMMAND_RE = re.compile(r"(?<![\w/\\@])/[a-z0-9_]{1,64}(?:@[a-z0-9_]{3,32})?(?![\w/])", re.I)
_MENTION_RE = re.compile(r"(?<![\w@])@[a-z0-9_]{4,32}(?![\w@])", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def utf16_to_index(text: str, offset: int) -> int:
    """The Python string index of a UTF-16 `offset` into `text` (clamped to its length)."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def entity_text(text: str, entity: Mapping[str, Any]) -> str:
    """The part of `text` an entity covers."""
    start, end = _span(text, entity)
    return text[start:end]


def make_entity(text: str, start: int, end: int, kind: str, **extra: Any) -> Entity:
    """An entity of `kind` over the Python slice `text[start:end]`, in UTF-16 units."""
    offset = utf16_len(text[:start])
    return {"type": kind, "offset": offset, "length": utf16_len(text[start:end]), **extra}


def sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Telegram's order: by offset, the longer (outer) entity first."""
    return sorted(entities, key=lambda e: (int(e["offset"]), -int(e["length"])))


@cache
def _suffixes() -> tldextract.TLDExtract:
    # The public suffix list bundled with tldextract: never fetched from the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _has_public_suffix(host: str) -> bool:
    parts = _suffixes()(host)
    return bool(parts.suffix and parts.domain)


def _iter_urls(text: str) -> Iterator[tuple[int, int]]:
    for match in _URL_RE.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        host = match["host"]
        if match["scheme"] or _has_public_suffix(host) or re.fullmatch(_IPV4, host):
            yield start, end


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def detect_entities(text: str) -> list[Entity]:
    """The entities Telegram adds to a user's message: email, url, bot_command, mention."""
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for kind, spans in (
        ("email", (m.span() for m in _EMAIL_RE.finditer(text))),
        ("url", _iter_urls(text)),
        ("bot_command", (m.span() for m in _COMMAND_RE.finditer(text))),
        ("mention", (m.span() for m in _MENTION_RE.finditer(text))),
    ):
        for span in spans:
            if not _overlaps(span, taken):
                taken.append(span)
                found.append(make_entity(text, *span, kind))
    return sort_entities(found)


def merge_entities(text: str, given: Iterable[Mapping[str, Any]]) -> list[Entity]:
    """`given` entities (e.g. a hidden text_link) plus detected ones that do not overlap them."""
    explicit = [dict(entity) for entity in given]
    spans = [_span(text, e) for e in explicit if e["type"] in _LINK_LIKE]
    detected = [e for e in detect_entities(text) if not _overlaps(_span(text, e), spans)]
    return sort_entities(explicit + detected)


_LINK_LIKE = frozenset({"url", "text_link", "email", "code", "pre", "text_mention"})


def _span(text: str, entity: Mapping[str, Any]) -> tuple[int, int]:
    start = int(entity["offset"])
    return utf16_to_index(text, start), utf16_to_index(text, start + int(entity["length"]))
