"""Telegram HTML that always fits: visible length, careful cuts, whole-line budgets.

Telegram counts the limits (4096 for a message, 1024 for a caption) in UTF-16 code units of
the text *after* the HTML is parsed. Every line we build is balanced on its own (tags open
and close on the same line), so cutting between lines never breaks a tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
ELLIPSIS = "…"

_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(
    r"(?i)(?P<scheme>\bh)tt(?P<s>ps?://)(?P<host1>[^\s/?#]+)|\b(?P<host2>(?:[a-z0-9-]+\.)+[a-z]{2,})\b"
)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram measures it."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(markup: str) -> int:
    """UTF-16 length of what the user sees once the HTML is parsed."""
    return utf16_len(html.unescape(_TAG.sub("", markup)))


def cut(text: str, limit: int) -> str:
    """Plain ``text`` shortened to at most ``limit`` UTF-16 units, ending with "…" if cut.

    Whitespace runs collapse to one space; a surrogate pair (emoji) is never split.
    """
    text = " ".join(text.split())
    if utf16_len(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = utf16_len(char)
        if used + size > limit - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + ELLIPSIS


def escaped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` visible units, then HTML-escaped (cut first: never mid-entity)."""
    return html.escape(cut(text, limit), quote=False)


def fit_lines(lines: Iterable[str], limit: int = MESSAGE_LIMIT, *, more: str = "") -> str:
    """Join balanced HTML lines, stopping before the visible text would exceed ``limit``.

    When lines must be left out, room is kept for ``more`` (a balanced line), appended last.
    """
    all_lines = list(lines)
    whole = "\n".join(all_lines)
    if visible_length(whole) <= limit:
        return whole
    budget = limit - (visible_length(more) + 1 if more else 0)
    kept: list[str] = []
    used = 0
    for line in all_lines:
        size = visible_length(line) + (1 if kept else 0)
        if used + size > budget:
            break
        kept.append(line)
        used += size
    return "\n".join([*kept, more] if more else kept)


def defang(text: str) -> str:
    """Links made unclickable but readable ("hxxp://icbc-verify[.]top/login").

    Telegram turns every URL in a bot's message into a link; a warning about a scam link must
    not offer it to a thumb.
    """

    def fang(match: re.Match[str]) -> str:
        if match.group("host1") is not None:
            host = match.group("host1").replace(".", "[.]")
            return f"{match.group('scheme')}xx{match.group('s')}{host}"
        return match.group("host2").replace(".", "[.]")

    return _LINK.sub(fang, text)
